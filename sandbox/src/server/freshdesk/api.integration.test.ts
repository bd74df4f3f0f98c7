import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshdeskSandbox, type FreshdeskSandbox } from './sandbox.js';

let dir: string;
let server: Server;
let sandbox: FreshdeskSandbox;
let base: string;
let auth: string;

async function start(): Promise<void> {
  const app = express();
  const mounted: { router?: express.Router } = {};
  app.use((req, res, next) => (mounted.router ? mounted.router(req, res, next) : next()));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = createFreshdeskSandbox({ dbPath: join(dir, 'fd.sqlite'), publicUrl: base });
  mounted.router = sandbox.router;
  auth = `Basic ${Buffer.from(`${sandbox.helpdesk.apiKey}:X`).toString('base64')}`;
}

async function stop(): Promise<void> {
  sandbox.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { authorization: auth, ...(init.headers as Record<string, string>) } });

function note(fields: Record<string, string>, files: { name: string; type: string; bytes: number }[] = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('attachments[]', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return form;
}

const errorOf = async (res: Response) => (await res.json()) as { description?: string; errors?: { field: string; code: string }[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-sandbox-'));
  await start();
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Freshdesk sandbox REST: authentication', () => {
  it('accepts only Basic apiKey:X', async () => {
    expect((await fetch(`${base}/api/v2/tickets/1201`)).status).toBe(401);
    const wrongPassword = `Basic ${Buffer.from(`${sandbox.helpdesk.apiKey}:secret`).toString('base64')}`;
    const res = await fetch(`${base}/api/v2/tickets/1201`, { headers: { authorization: wrongPassword } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_credentials' });
    expect((await api('/api/v2/tickets/1201')).status).toBe(200);
  });
});

describe('Freshdesk sandbox REST: reading', () => {
  it('a ticket with include=requester has the requester without a language; the contact has it', async () => {
    const ticket = (await (await api('/api/v2/tickets/1201?include=requester')).json()) as Record<string, unknown>;
    expect(ticket).toMatchObject({ id: 1201, requester_id: 10002, requester: { id: 10002, name: 'Georgi Ivanov' } });
    expect(ticket.requester).not.toHaveProperty('language');
    expect(await (await api('/api/v2/contacts/10002')).json()).toMatchObject({ id: 10002, language: 'bg' });
  });

  it('refuses an unknown include value in Freshdesk error shape, and answers 404 for unknown records', async () => {
    const res = await api('/api/v2/tickets/1201?include=users');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ description: 'Validation failed', errors: [{ field: 'include', code: 'invalid_value' }] });
    expect((await api('/api/v2/tickets/999')).status).toBe(404);
    expect((await api('/api/v2/contacts/1')).status).toBe(404);
    expect((await api('/api/v2/agents/10002')).status).toBe(404);
  });

  it('an agent carries ticket scope and groups (what the relay checks ticket access with)', async () => {
    expect(await (await api('/api/v2/agents/10001')).json()).toMatchObject({ id: 10001, ticket_scope: 1, contact: { active: true } });
    expect(await (await api('/api/v2/agents/10005')).json()).toMatchObject({ id: 10005, ticket_scope: 3 });
  });
});

describe('Freshdesk sandbox REST: replies and notes', () => {
  it('a public reply from JSON', async () => {
    const res = await api('/api/v2/tickets/1201/reply', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: '<p>Join the video call</p>', user_id: 10001 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ private: false, body_text: 'Join the video call', user_id: 10001 });
  });

  it('a private note from multipart with "true" and one attachments[] part per file', async () => {
    const form = note({ body: '<p>Call summary</p>', private: 'true' }, [
      { name: 'photo.jpg', type: 'image/jpeg', bytes: 1000 },
      { name: 'snapshot.png', type: 'image/png', bytes: 2000 },
    ]);
    const res = await api('/api/v2/tickets/1201/notes', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      private: true,
      attachments: [
        { name: 'photo.jpg', content_type: 'image/jpeg', size: 1000 },
        { name: 'snapshot.png', content_type: 'image/png', size: 2000 },
      ],
    });
  });

  it('a multipart body sent with a JSON Content-Type finds no fields', async () => {
    const req = new Request('http://x/', {
      method: 'POST',
      body: note({ body: 'x', private: 'true' }, [{ name: 'a.png', type: 'image/png', bytes: 10 }]),
    });
    const res = await api('/api/v2/tickets/1201/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await req.arrayBuffer(),
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ errors: [{ field: 'body', code: 'missing_field' }] });
  });

  it('refuses attachments in JSON, a private that is not "true"/"false", and other content types', async () => {
    const json = await api('/api/v2/tickets/1201/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'x', private: true, attachments: ['a'] }),
    });
    expect(json.status).toBe(400);
    expect(await errorOf(json)).toMatchObject({ errors: [{ field: 'attachments', code: 'datatype_mismatch' }] });
    const yes = await api('/api/v2/tickets/1201/notes', { method: 'POST', body: note({ body: 'x', private: 'yes' }) });
    expect(yes.status).toBe(400);
    expect(await errorOf(yes)).toMatchObject({ errors: [{ field: 'private', code: 'datatype_mismatch' }] });
    const text = await api('/api/v2/tickets/1201/notes', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
  });

  it('refuses a file as a field other than attachments[], and a user_id that is no agent', async () => {
    const form = note({ body: 'x', private: 'true' });
    form.append('attachments', new Blob([new Uint8Array(5)], { type: 'image/png' }), 'a.png');
    const wrongName = await api('/api/v2/tickets/1201/notes', { method: 'POST', body: form });
    expect(wrongName.status).toBe(400);
    expect(await errorOf(wrongName)).toMatchObject({ errors: [{ field: 'attachments', code: 'invalid_field' }] });
    const contact = await api('/api/v2/tickets/1201/notes', {
      method: 'POST',
      body: note({ body: 'x', private: 'true', user_id: '10002' }),
    });
    expect(contact.status).toBe(400);
    expect(await errorOf(contact)).toMatchObject({ errors: [{ field: 'user_id' }] });
  });

  it('keeps the ticket within 20 MB of attachments in all, across notes', async () => {
    const big = (name: string) => note({ body: 'files', private: 'true' }, [{ name, type: 'image/jpeg', bytes: 9_000_000 }]);
    expect((await api('/api/v2/tickets/1202/notes', { method: 'POST', body: big('a.jpg') })).status).toBe(201);
    expect((await api('/api/v2/tickets/1202/notes', { method: 'POST', body: big('b.jpg') })).status).toBe(201);
    const third = await api('/api/v2/tickets/1202/notes', { method: 'POST', body: big('c.jpg') });
    expect(third.status).toBe(400);
    expect(await errorOf(third)).toMatchObject({
      description: 'Validation failed',
      errors: [{ field: 'attachments', code: 'invalid_value' }],
    });
    const notes = (await (await api('/api/v2/tickets/1202/conversations')).json()) as unknown[];
    expect(notes).toHaveLength(2);
  });
});

describe('Freshdesk sandbox REST: conversations', () => {
  it('pages with an absolute Link rel="next" on the caller origin, none on the last page', async () => {
    for (let i = 0; i < 3; i += 1) {
      await api('/api/v2/tickets/1203/notes', { method: 'POST', body: note({ body: `n${i}`, private: 'false' }) });
    }
    const first = await api('/api/v2/tickets/1203/conversations?per_page=2');
    const link = first.headers.get('link');
    expect(link).toBe(`<${base}/api/v2/tickets/1203/conversations?per_page=2&page=2>; rel="next"`);
    expect(((await first.json()) as { body_text: string }[]).map((c) => c.body_text)).toEqual(['n0', 'n1']);
    const second = await api(/<([^>]+)>/.exec(link!)![1]!.slice(base.length));
    expect(second.headers.get('link')).toBeNull();
    expect(((await second.json()) as { body_text: string }[]).map((c) => c.body_text)).toEqual(['n2']);
  });

  it('refuses per_page above 100', async () => {
    const res = await api('/api/v2/tickets/1203/conversations?per_page=101');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ errors: [{ field: 'per_page' }] });
  });
});

describe('Freshdesk sandbox REST: rate limit and persistence', () => {
  it('answers the scripted number of requests with 429 and Retry-After, then serves again', async () => {
    const set = await api('/sandbox/freshdesk/api/strictness', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { requests: 2, retryAfterSeconds: 7 } }),
    });
    expect(set.status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const res = await api('/api/v2/tickets/1201');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
    }
    expect((await api('/api/v2/tickets/1201')).status).toBe(200);
  });

  it('the strictness switch needs the API key', async () => {
    const res = await fetch(`${base}/sandbox/freshdesk/api/strictness`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { requests: 5, retryAfterSeconds: 1 } }),
    });
    expect(res.status).toBe(401);
  });

  it('keeps notes, the API key and the app secret across a restart', async () => {
    const before = sandbox.helpdesk;
    await stop();
    await start();
    expect(sandbox.helpdesk.apiKey).toBe(before.apiKey);
    expect(sandbox.helpdesk.appSecret).toBe(before.appSecret);
    const convs = (await (await api('/api/v2/tickets/1201/conversations?per_page=100')).json()) as { private: boolean }[];
    expect(convs.filter((c) => c.private)).toHaveLength(1);
  });
});

describe('PUT /api/v2/tickets/:id custom fields', () => {
  const update = (body: unknown, contentType = 'application/json') =>
    api('/api/v2/tickets/1202', { method: 'PUT', headers: { 'content-type': contentType }, body: JSON.stringify(body) });

  it('lists the custom fields by API name, stores a value and shows it on the ticket', async () => {
    const fields = (await (await api('/api/v2/ticket_fields')).json()) as { name: string; type: string }[];
    expect(fields.map((f) => f.name)).toContain('cf_serial_number');
    const res = await update({ custom_fields: { cf_serial_number: 'FD-1' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { custom_fields: Record<string, unknown> }).custom_fields.cf_serial_number).toBe('FD-1');
  });

  it('refuses an unknown field, a top-level key it does not take, a bad date and a non-JSON body; stores nothing of them', async () => {
    const unknown = await update({ custom_fields: { cf_serial_number: 'FD-2', cf_nope: 'x' } });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).errors).toEqual([
      { field: 'cf_nope', message: 'Unexpected/invalid field in request', code: 'invalid_field' },
    ]);
    const key = await update({ serial: 'x' });
    expect((await errorOf(key)).errors?.[0]).toMatchObject({ field: 'serial', code: 'invalid_field' });
    const date = await update({ custom_fields: { cf_warranty_until: 'KW 23/2019' } });
    expect(date.status).toBe(400);
    expect((await errorOf(date)).errors?.[0]).toMatchObject({ field: 'cf_warranty_until', code: 'invalid_value' });
    expect((await update({ custom_fields: {} }, 'text/plain')).status).toBe(415);
    const ticket = (await (await api('/api/v2/tickets/1202')).json()) as { custom_fields: Record<string, unknown> };
    expect(ticket.custom_fields.cf_serial_number).toBe('FD-1');
  });
});
