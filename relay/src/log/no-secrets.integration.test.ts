import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../tokens.js';
import { joinedCustomer, startHarness, waitFor, type FakeHarness, type HeldSessionView } from '../testing/harness.js';
import { jsonLogger } from './json.js';

/**
 * A whole relay run logged as production logs it: an agent signs in, starts a session, the
 * customer opens the link and joins, both connect, chat, share a photo, the agent ends the call and
 * the note is written. The log must hold the ids of what happened and none of the credentials.
 */
const lines: string[] = [];
let h: FakeHarness;
/** Every credential the run handed to or received from the relay. */
const secrets = new Map<string, string>();
let view: HeldSessionView;
let closed = false;

type Line = { level: string; time: string; msg: string; requestId?: string; sessionId?: string; opKey?: string; path?: string };
const parsed = (): Line[] => lines.map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  h = await startHarness({}, { log: jsonLogger({ write: (l) => lines.push(l) }), writeback: { vanishGraceMs: 400 } });
  secrets.set('Zendesk API token', h.helpdesk.apiToken);

  const signed = await h.helpdesk.sign();
  secrets.set('signed app-load token', signed);
  const load = await fetch(`${h.relay.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token: signed }) });
  const agent = (
    JSON.parse(/<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await load.text())![1]!) as {
      agentToken: string;
    }
  ).agentToken;
  secrets.set('agent token', agent);

  view = await h.createSession(agent);
  const invite = view.inviteUrl.slice(view.inviteUrl.lastIndexOf('/') + 1);
  secrets.set('invite token', invite);
  secrets.set('specialist token', view.specialistToken);
  expect((await fetch(view.inviteUrl)).status).toBe(200);
  expect((await h.api(`/api/invites/${invite}`)).status).toBe(200);
  const { participantToken } = await joinedCustomer(h, view);
  secrets.set('participant token', participantToken);

  const specialist = await h.connect(view.specialistToken);
  const customer = await h.connect(participantToken);
  const stranger = randomToken();
  secrets.set('unknown token', stranger);
  await expect(h.connect(stranger)).rejects.toThrow('HTTP 401');
  expect((await h.api(`/api/sessions/${view.sessionId}`, { bearer: stranger })).status).toBe(401);

  specialist.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'Show me the label, please.', attachments: [] });
  await customer.next('chat-message');
  const photo = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#c00' } })
    .jpeg()
    .toBuffer();
  const uploaded = await h.api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
    method: 'POST',
    bearer: participantToken,
    body: new Uint8Array(photo),
    headers: { 'X-Request-Id': 'upload-0001' },
  });
  expect(uploaded.status).toBe(201);
  const { url } = ((await uploaded.json()) as { upload: { url: string } }).upload;
  secrets.set('upload signature', new URL(url).searchParams.get('sig') ?? 'missing');
  expect((await fetch(url)).status).toBe(200);

  const end = await h.api(`/api/sessions/${view.sessionId}/end`, {
    method: 'POST',
    bearer: agent,
    headers: { 'X-Request-Id': 'end-0001' },
  });
  expect(end.status).toBe(200);
  expect(end.headers.get('x-request-id')).toBe('end-0001');
  await waitFor('the call note', async () => parsed().some((l) => l.opKey === `call-note:${view.sessionId}` && /written/.test(l.msg)));
  // The shutdown is part of the run.
  await h.close();
  closed = true;
}, 60_000);

afterAll(async () => {
  if (!closed) await h?.close();
});

describe('the relay log of a whole session', () => {
  it('holds none of the credentials the session used', () => {
    const log = lines.join('');
    expect(secrets.size).toBe(8);
    for (const [what, secret] of secrets) {
      expect(secret.length, what).toBeGreaterThan(8);
      expect(log.includes(secret), `${what} in the log`).toBe(false);
    }
    expect(log).not.toMatch(/Bearer (?!\[redacted\])/);
  });

  it('is one JSON object per line, with the request and session of each event', () => {
    const all = parsed();
    expect(all.length).toBeGreaterThan(10);
    for (const line of all) expect(Date.parse(line.time)).not.toBeNaN();

    const opened = all.filter((l) => l.msg === 'socket opened');
    expect(opened.map((l) => l.sessionId)).toEqual([view.sessionId, view.sessionId]);
    expect(opened.every((l) => typeof l.requestId === 'string')).toBe(true);
    expect(all.find((l) => l.requestId === 'end-0001')).toMatchObject({
      msg: 'http request',
      sessionId: view.sessionId,
      path: `/api/sessions/${view.sessionId}/end`,
    });
    expect(all.find((l) => l.requestId === 'upload-0001')).toMatchObject({ sessionId: view.sessionId });
    expect(all.some((l) => l.path === '/api/invites/[redacted]/join')).toBe(true);
    // The outbox's lines name the session its operation belongs to, not the request that woke it.
    const outbox = all.filter((l) => l.opKey === `call-note:${view.sessionId}`);
    expect(outbox.every((l) => l.sessionId === view.sessionId && l.requestId === undefined)).toBe(true);
  });
});

describe('request ids', () => {
  it('replaces an X-Request-Id that is not a plain id', async () => {
    const h2 = await startHarness({}, { log: jsonLogger({ write: () => {} }) });
    try {
      const odd = await h2.api('/healthz', { headers: { 'X-Request-Id': 'two words' } });
      expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const plain = await h2.api('/healthz', { headers: { 'X-Request-Id': 'haproxy-7f3a:1' } });
      expect(plain.headers.get('x-request-id')).toBe('haproxy-7f3a:1');
    } finally {
      await h2.close();
    }
  });
});
