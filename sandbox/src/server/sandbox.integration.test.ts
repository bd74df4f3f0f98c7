import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_TICKET_FIELDS, type Sandbox } from './index.js';

let dir: string;
let server: Server;
let sandbox: Sandbox;
let base: string;
let auth: string;

async function start(): Promise<void> {
  const app = express();
  // The public URL is only known after listening on port 0, so the sandbox is mounted lazily.
  const mounted: { router?: express.Router } = {};
  app.use((req, res, next) => (mounted.router ? mounted.router(req, res, next) : next()));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = await createSandbox({ dbPath: join(dir, 'sandbox.db'), publicUrl: base, appUrl: `${base}/app` });
  mounted.router = sandbox.router;
  auth = `Basic ${Buffer.from(`${sandbox.helpdesk.email}/token:${sandbox.helpdesk.apiToken}`).toString('base64')}`;
}

async function stop(): Promise<void> {
  sandbox.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}${path}`, { ...init, headers: { authorization: auth, ...init.headers } });
}

async function agentCookie(): Promise<string> {
  const res = await fetch(`${base}/sandbox/`);
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
  await start();
});

afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it('rejects calls without credentials or with a wrong token', async () => {
    const anonymous = await fetch(`${base}/api/v2/tickets.json`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: "Couldn't authenticate you" });

    const wrong = await fetch(`${base}/api/v2/tickets.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${sandbox.helpdesk.email}/token:nope`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${base}/sandbox/api/config`)).status).toBe(401);
  });

  it('accepts the API token and the agent browser session', async () => {
    const me = await api('/api/v2/users/me.json');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({ name: 'Maria Petrova', role: 'admin', email: sandbox.helpdesk.email });

    const cookie = await agentCookie();
    const config = await fetch(`${base}/sandbox/api/config`, { headers: { cookie } });
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ appUrl: `${base}/app`, settings: { relay_url: base } });
  });
});

describe('tickets and comments', () => {
  it('lists tickets with Zendesk paging', async () => {
    const first = await (await api('/api/v2/tickets.json?per_page=2')).json();
    expect(first.count).toBeGreaterThanOrEqual(3);
    expect(first.tickets).toHaveLength(2);
    expect(first.previous_page).toBeNull();
    expect(first.next_page).toBe(`${base}/api/v2/tickets.json?page=2&per_page=2`);
    expect(first.tickets[0].subject).toBe('Wilo-Stratos MAXO shows error E21');

    const second = await (await api(new URL(first.next_page).pathname + new URL(first.next_page).search)).json();
    expect(second.tickets[0].id).not.toBe(first.tickets[0].id);
    expect(second.previous_page).toBe(`${base}/api/v2/tickets.json?page=1&per_page=2`);
  });

  it('shows one ticket with its requester sideloaded, and 404s unknown ones', async () => {
    const body = await (await api('/api/v2/tickets/1201.json?include=users')).json();
    expect(body.ticket).toMatchObject({ id: 1201, status: 'open', url: `${base}/api/v2/tickets/1201.json` });
    const requester = body.users.find((u: { id: number }) => u.id === body.ticket.requester_id);
    expect(requester).toMatchObject({ name: 'Georgi Ivanov', locale: 'bg' });

    const missing = await api('/api/v2/tickets/999999.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    expect((await api('/api/v2/users/424242.json')).status).toBe(404);
  });

  it('lists comments with public and internal ones and a count', async () => {
    const body = await (await api('/api/v2/tickets/1201/comments.json')).json();
    expect(body.count).toBe(body.comments.length);
    expect(body.next_page).toBeNull();
    expect(body.comments[0]).toMatchObject({ type: 'Comment', public: true, author_id: 10002, attachments: [] });
    expect(body.comments[0].html_body).toContain('<p>');
    expect(body.comments.some((c: { public: boolean }) => !c.public)).toBe(true);
  });

  it('adds an internal note with two uploaded files as attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const up1 = await api('/api/v2/uploads.json?filename=snapshot%201.png', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    expect(up1.status).toBe(201);
    const { upload } = await up1.json();
    expect(upload.attachment).toMatchObject({ file_name: 'snapshot 1.png', content_type: 'image/png', size: png.length });

    const up2 = await (
      await api('/api/v2/uploads.json?filename=transcript.txt', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      })
    ).json();

    const put = await api('/api/v2/tickets/1203.json', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ticket: { comment: { body: 'Video call ended.\nDuration 4 min.', public: false, uploads: [upload.token, up2.upload.token] } },
      }),
    });
    expect(put.status).toBe(200);
    const result = await put.json();
    expect(result.ticket.id).toBe(1203);
    expect(result.audit.events[0]).toMatchObject({ type: 'Comment', public: false, author_id: 10001 });

    const comments = (await (await api('/api/v2/tickets/1203/comments.json')).json()).comments;
    const note = comments[comments.length - 1];
    expect(note).toMatchObject({ public: false, plain_body: 'Video call ended.\nDuration 4 min.' });
    expect(note.html_body).toContain('Video call ended.<br>Duration 4 min.');
    expect(note.attachments.map((a: { file_name: string }) => a.file_name)).toEqual(['snapshot 1.png', 'transcript.txt']);

    const content = await fetch(note.attachments[0].content_url);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer())).toEqual(png);

    // An upload belongs to one comment only.
    const again = await api('/api/v2/tickets/1203.json', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { comment: { body: 'again', public: false, uploads: [upload.token] } } }),
    });
    expect(again.status).toBe(422);
  });

  it('rejects malformed updates with a clear 400', async () => {
    const noBody = await api('/api/v2/tickets/1201.json', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { comment: { public: false } } }),
    });
    expect(noBody.status).toBe(400);
    const notJson = await api('/api/v2/tickets/1201.json', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"ticket":',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe('InvalidRequest');
  });
});

describe('signed app loads', () => {
  it('signs a token the published public key verifies, with Zendesk claims', async () => {
    const cookie = await agentCookie();
    const res = await fetch(`${base}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: 1201 }),
    });
    expect(res.status).toBe(200);
    const { token } = await res.json();

    const pem = await (await fetch(`${base}/api/v2/apps/${sandbox.helpdesk.appId}/public_key.pem`)).text();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    const { payload } = await jwtVerify(token, await importSPKI(pem, 'RS256'), {
      issuer: new URL(base).host,
      audience: `${base}/api/v2/apps/installations/${sandbox.helpdesk.installationId}.json`,
      algorithms: ['RS256'],
    });
    expect(payload.sub).toBe('10001');
    expect(payload.context).toEqual({ product: 'support', location: 'ticket_sidebar' });
    // Zendesk's claim set: the agent is named by id only, never by a user object. The one extra,
    // `jti`, keeps two loads in the same second apart for the relay's single-use rule (an open
    // point: Zendesk's own tokens carry none, see docs/contract.md).
    expect(Object.keys(payload).sort()).toEqual(['aud', 'cnf', 'context', 'exp', 'iat', 'iss', 'jti', 'nbf', 'qsh', 'sub']);
    expect(payload.cnf).toEqual({ jku: `${base}/api/v2/apps/${sandbox.helpdesk.appId}/public_key.pem` });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('refuses tokens to strangers and for unknown tickets', async () => {
    const stranger = await fetch(`${base}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: 1201 }),
    });
    expect(stranger.status).toBe(401);
    const cookie = await agentCookie();
    const unknown = await fetch(`${base}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: 424242 }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe('the installed manifest', () => {
  it('fills {{setting.relay_url}} into the declared locations and signs only those', async () => {
    const cookie = await agentCookie();
    const config = await (await fetch(`${base}/sandbox/api/config`, { headers: { cookie } })).json();
    expect(config.locations).toEqual({ ticket_sidebar: `${base}/app/ticket_sidebar`, modal: `${base}/app/modal` });

    const other = await createSandbox({
      dbPath: join(dir, 'sidebar-only.db'),
      publicUrl: base,
      appUrl: `${base}/app`,
      manifest: { signedUrls: true, location: { support: { ticket_sidebar: { url: '{{setting.relay_url}}/app/ticket_sidebar' } } } },
    });
    try {
      const app = express().use(other.router);
      const srv = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => srv.once('listening', resolve));
      const otherBase = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      const otherCookie = (await fetch(`${otherBase}/sandbox/`)).headers.get('set-cookie')?.split(';')[0] ?? '';
      const token = (location: string) =>
        fetch(`${otherBase}/sandbox/api/app-token`, {
          method: 'POST',
          headers: { cookie: otherCookie, 'content-type': 'application/json' },
          body: JSON.stringify({ location, ticketId: 1201 }),
        });
      expect((await token('ticket_sidebar')).status).toBe(200);
      // A modal the manifest does not declare is never signed: Zendesk loads it with a plain GET.
      expect((await token('modal')).status).toBe(422);
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    } finally {
      other.close();
    }
  });

  it('never signs a load for an end-user', async () => {
    const cookie = await agentCookie();
    const res = await fetch(`${base}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: 1201, agentId: 10002 }),
    });
    expect(res.status).toBe(404);
  });
});

describe('persistence', () => {
  it('keeps the key pair, API token and notes across restarts', async () => {
    const before = { ...sandbox.helpdesk };
    const pemBefore = await (await fetch(`${base}/api/v2/apps/${before.appId}/public_key.pem`)).text();
    const countBefore = (await (await api('/api/v2/tickets/1203/comments.json')).json()).count;
    await stop();
    await start();
    expect(sandbox.helpdesk.apiToken).toBe(before.apiToken);
    expect(await (await fetch(`${base}/api/v2/apps/${before.appId}/public_key.pem`)).text()).toBe(pemBefore);
    expect((await (await api('/api/v2/tickets/1203/comments.json')).json()).count).toBe(countBefore);
    // The six seeded tickets, not seeded twice; 1206 came in through messaging.
    expect((await (await api('/api/v2/tickets.json')).json()).count).toBe(6);
    expect((await (await api('/api/v2/tickets/1206.json')).json()).ticket.via.channel).toBe('native_messaging');
    expect((await (await api('/api/v2/tickets/1201.json')).json()).ticket.via.channel).toBe('web');
  });
});

describe('strictness switches (PUT /sandbox/api/strictness)', () => {
  const put = (body: unknown) =>
    api('/sandbox/api/strictness', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses uploads of a file type the admin does not allow, as Zendesk does (422), others pass', async () => {
    expect((await put({ refusedFileTypes: ['EXE', 'png'] })).status).toBe(200);
    const upload = (name: string) =>
      api(`/api/v2/uploads.json?filename=${name}`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'x' });
    expect((await upload('shot.PNG')).status).toBe(422);
    expect((await upload('photo.jpg')).status).toBe(201);
    expect((await put({ refusedFileTypes: [] })).status).toBe(200);
    expect((await upload('shot.png')).status).toBe(201);
  });

  it('answers the next N API requests with 429 and Retry-After, then normally', async () => {
    expect((await put({ rateLimit: { requests: 2, retryAfterSeconds: 7 } })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const limited = await api('/api/v2/tickets/1201.json');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
    }
    expect((await api('/api/v2/tickets/1201.json')).status).toBe(200);
  });

  it('refuses a malformed switch and an anonymous caller', async () => {
    expect((await put({ rateLimit: { requests: -1, retryAfterSeconds: 1 } })).status).toBe(400);
    expect((await fetch(`${base}/sandbox/api/strictness`, { method: 'PUT' })).status).toBe(401);
  });
});

describe('ticket fields and the installation settings', () => {
  const put = (path: string, body: unknown) =>
    api(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const fieldsOf = async (ticketId: number) =>
    new Map(
      (
        (await (await api(`/api/v2/tickets/${ticketId}.json`)).json()) as {
          ticket: { custom_fields: { id: number; value: string | null }[] };
        }
      ).ticket.custom_fields.map((f) => [f.id, f.value]),
    );

  it('lists the seeded custom fields and shows every one on a ticket, unset as null', async () => {
    const list = (await (await api('/api/v2/ticket_fields.json')).json()) as {
      ticket_fields: { id: number; title: string; type: string }[];
    };
    expect(list.ticket_fields.map((f) => [f.title, f.type])).toEqual([
      ['Pump model', 'text'],
      ['Serial number', 'text'],
      ['Production date', 'text'],
      ['Warranty until', 'date'],
    ]);
    expect([...(await fieldsOf(1202)).values()]).toEqual([null, null, null, null]);
  });

  it('stores a text value, and refuses an unknown field id or a value its type does not take with 422, storing nothing of the update', async () => {
    const { model, serial, warrantyUntil } = SANDBOX_TICKET_FIELDS;
    const [modelId, serialId, warranty] = [model.id, serial.id, warrantyUntil.id];
    expect((await put('/api/v2/tickets/1202.json', { ticket: { custom_fields: [{ id: serialId, value: 'SN 1' }] } })).status).toBe(200);
    const unknown = await put('/api/v2/tickets/1202.json', {
      ticket: {
        custom_fields: [
          { id: modelId, value: 'M' },
          { id: 4242, value: 'x' },
        ],
        comment: { body: 'not stored', public: false },
      },
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: 'RecordInvalid' });
    const badDate = await put('/api/v2/tickets/1202.json', { ticket: { custom_fields: [{ id: warranty, value: '07/2019' }] } });
    expect(badDate.status).toBe(422);
    expect((await put('/api/v2/tickets/1202.json', { ticket: { custom_fields: [{ id: warranty, value: '2029-07-01' }] } })).status).toBe(
      200,
    );
    const fields = await fieldsOf(1202);
    expect([fields.get(modelId), fields.get(serialId), fields.get(warranty)]).toEqual([null, 'SN 1', '2029-07-01']);
    const comments = (await (await api('/api/v2/tickets/1202/comments.json')).json()) as { comments: { body: string }[] };
    expect(comments.comments.some((c) => c.body.includes('not stored'))).toBe(false);
  });

  it('shows and updates the installation settings (the admin mapping fields), for this installation only', async () => {
    const path = `/api/v2/apps/installations/${sandbox.helpdesk.installationId}.json`;
    const shown = (await (await api(path)).json()) as { id: number; settings: Record<string, string> };
    expect(shown.id).toBe(sandbox.helpdesk.installationId);
    expect(shown.settings.nameplate_serial_field).toBe(String(SANDBOX_TICKET_FIELDS.serial.id));
    const updated = await put(path, { settings: { nameplate_serial_field: 12345, nameplate_model_field: null } });
    expect(updated.status).toBe(200);
    const after = ((await updated.json()) as { settings: Record<string, string> }).settings;
    expect(after.nameplate_serial_field).toBe('12345');
    expect(after).not.toHaveProperty('nameplate_model_field');
    expect(after.relay_url).toBe(base);
    expect((await api('/api/v2/apps/installations/1.json')).status).toBe(404);
    expect((await fetch(`${base}${path}`)).status).toBe(401);
  });
});
