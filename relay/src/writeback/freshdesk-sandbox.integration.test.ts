import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type AppSignInResponse, type CallNoteView, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { freshdeskSandboxForRelay, type RelayFreshdeskSandbox } from '@live-assist/sandbox';
import { loadConfig } from '../config/index.js';
import { startServer, type RunningServer } from '../server.js';
import { silentLogger } from '../logger.js';
import { TestSocket } from '../testing/ws-client.js';
import { waitFor } from '../testing/harness.js';
import { callNoteKey } from './call-notes.js';
import { noteMarker } from './marker.js';

/**
 * The relay as `HELPDESK=freshdesk npm start` runs it, with the Freshdesk sandbox as its account:
 * sign-in with the installation secret, the invite as a public reply, a call with a photo in the
 * chat and a snapshot, and after it exactly one private note with both files on the ticket.
 */
const TICKET = 1203;
let dir: string;
let relay: RunningServer;
let sandbox: RelayFreshdeskSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-sandbox-call-'));
  const config = loadConfig({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: dir });
  sandbox = freshdeskSandboxForRelay({ dataDir: dir });
  relay = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, log: silentLogger, processMetrics: false });
});
afterAll(async () => {
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit & { bearer?: string; json?: unknown } = {}) => {
  const headers = new Headers(init.headers);
  if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${relay.url}${path}`, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
};

const conversations = async (ticketId: number) =>
  (await (
    await fetch(`${relay.url}/api/v2/tickets/${ticketId}/conversations?per_page=100`, {
      headers: { Authorization: sandbox.authorization() },
    })
  ).json()) as {
    private: boolean;
    body: string;
    body_text: string;
    user_id: number;
    attachments: { name: string; content_type: string }[];
  }[];

async function connect(token: string): Promise<TestSocket> {
  const socket = await TestSocket.open(`${relay.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  await socket.next('welcome');
  return socket;
}

async function upload(sessionId: string, token: string, purpose: 'photo' | 'snapshot', format: 'jpeg' | 'png'): Promise<string> {
  const img = sharp({ create: { width: 32, height: 24, channels: 3, background: format === 'png' ? '#0c0' : '#c00' } });
  const bytes = new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
  const res = await api(`/api/sessions/${sessionId}/uploads?purpose=${purpose}`, { method: 'POST', bearer: token, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: { id: string } }).upload.id;
}

/** Signs Maria in through the app sign-in, starts a session on `ticketId` and has the requester join the call. */
async function startCall(ticketId: number) {
  const account = sandbox.helpdesk();
  const signIn = await api('/api/app/agent-session', {
    method: 'POST',
    headers: { Authorization: `Bearer ${account.appSecret}` },
    json: { agentId: '10001', agentEmail: 'maria.petrova@example.com', ticketId, account: account.domain },
  });
  expect(signIn.status).toBe(200);
  const agent = ((await signIn.json()) as AppSignInResponse).agentToken;
  const created = await api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId } });
  expect(created.status).toBe(201);
  const view = (await created.json()) as SessionView;
  return { agent, view };
}

async function joinCall(view: SessionView) {
  const token = view.inviteUrl.slice(view.inviteUrl.lastIndexOf('/') + 1);
  const joined = await api(`/api/invites/${token}/join`, {
    method: 'POST',
    json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en-US', consentText: 'I accept the privacy policy' },
  });
  expect(joined.status).toBe(200);
  const { participantToken } = (await joined.json()) as JoinResponse;
  return { participantToken, specialist: await connect(view.specialistToken!), customer: await connect(participantToken) };
}

async function noteDone(sessionId: string, agent: string): Promise<void> {
  await waitFor(
    'the note to be written',
    async () => ((await (await api(`/api/sessions/${sessionId}/note`, { bearer: agent })).json()) as CallNoteView).note.state === 'done',
    20_000,
  );
}

describe('a call on the relay bound to the Freshdesk sandbox', () => {
  it('invite as a public reply, then exactly one private note with the photo and the snapshot', async () => {
    const { agent, view } = await startCall(TICKET);

    expect((await api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent })).status).toBe(201);
    const replies = (await conversations(TICKET)).filter((c) => !c.private);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain(view.inviteUrl);

    const { participantToken, specialist, customer } = await joinCall(view);
    const photo = await upload(view.sessionId, participantToken, 'photo', 'jpeg');
    customer.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'The label says E04', attachments: [photo] });
    await specialist.next('chat-message');
    await upload(view.sessionId, view.specialistToken!, 'snapshot', 'png');

    expect((await api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    specialist.close();
    customer.close();
    await noteDone(view.sessionId, agent);
    const notes = (await conversations(TICKET)).filter((c) => c.private);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body_text).toContain(noteMarker(callNoteKey(view.sessionId)));
    expect(notes[0]!.body_text).toContain('The label says E04');
    expect(notes[0]!.user_id).toBe(10001);
    expect(notes[0]!.attachments.map((a) => a.content_type).sort()).toEqual(['image/jpeg', 'image/png']);
  }, 60_000);

  it('a burst of 429s with Retry-After is waited out: still exactly one note', async () => {
    const { agent, view } = await startCall(1202);
    const { specialist, customer } = await joinCall(view);
    // Spent by the relay's first calls once the call ends (the ticket, the conversations).
    const strictness = (init: RequestInit = {}) =>
      fetch(`${relay.url}/sandbox/freshdesk/api/strictness`, {
        ...init,
        headers: { Authorization: sandbox.authorization(), 'Content-Type': 'application/json' },
      });
    expect((await strictness({ method: 'PUT', body: JSON.stringify({ rateLimit: { requests: 2, retryAfterSeconds: 1 } }) })).status).toBe(
      200,
    );
    expect((await api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    specialist.close();
    customer.close();
    await noteDone(view.sessionId, agent);
    expect(((await (await strictness()).json()) as { rateLimit: { requests: number } }).rateLimit.requests).toBe(0);
    const notes = (await conversations(1202)).filter((c) => c.private);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body_text).toContain(noteMarker(callNoteKey(view.sessionId)));
  }, 60_000);
});
