import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ObserveResponseSchema, type ObserveResponse } from '@live-assist/protocol';
import { RESTRICTED_AGENT_ID, joinedCustomer, type FakeHarness, type Harness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';
import { TestSocket } from '../testing/ws-client.js';
import { hashToken, randomId, randomToken } from '../tokens.js';

const THOMAS = '44';

async function observe(h: Harness, agent: string, sessionId: string): Promise<ObserveResponse> {
  const res = await h.api(`/api/sessions/${sessionId}/observe`, { method: 'POST', bearer: agent });
  expect(res.status).toBe(200);
  return ObserveResponseSchema.parse(await res.json());
}

function auditOf(h: Harness, sessionId: string): unknown[] {
  const db = new Database(join(h.dataDir, 'relay.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT kind, from_agent_name, to_agent_name FROM session_audit WHERE session_id = ? ORDER BY at, rowid')
      .all(sessionId);
  } finally {
    db.close();
  }
}

/** Waits until the audit trail holds `count` rows (written just after the socket event). */
async function auditWithin(h: Harness, sessionId: string, count: number, timeoutMs = 10_000): Promise<unknown[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = auditOf(h, sessionId);
    if (rows.length >= count || Date.now() > until) return rows;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('another agent joins a call as observer', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  it('sees chat and marks, may not draw, freeze, chat or signal; the customer and specialist see who watches; the audit records joining and leaving', async () => {
    const maria = await h.agentToken();
    const thomas = await h.agentToken(THOMAS);
    const created = await h.createSession(maria, 1);
    const { participantToken } = await joinedCustomer(h, created);
    const phone = await h.connect(participantToken);
    const desk = await h.connect(created.specialistToken);
    desk.send({ type: 'annotation-start', id: 'stroke-1', tool: 'freehand', color: '#ff1f1f', width: 6, points: [[0.1, 0.2]] });
    await phone.next('annotation-start');
    phone.send({ type: 'chat-send', clientId: 'phone-msg-1', text: 'It rattles here' });
    await desk.next('chat-message');

    // Nothing about watching is handed out by reading the session.
    const seen = await h.api(`/api/sessions/${created.sessionId}`, { bearer: thomas });
    expect(JSON.stringify(await seen.json())).not.toMatch(/observer/i);

    const watch = await observe(h, thomas, created.sessionId);
    expect(watch.holder).toBe('Ada Agent');
    const eye = await TestSocket.open(h.wsUrl(watch.observerToken));
    eye.send({ type: 'hello', protocolVersion: 1 });
    const welcome = await eye.next('welcome');
    expect(welcome.observer).toBe(true);
    expect(welcome.participants.find((p) => p.role === 'customer')?.connected).toBe(true);
    // The marks and the chat so far.
    expect((await eye.next('annotation-state')).state.marks.map((m) => m.id)).toEqual(['stroke-1']);
    eye.send({ type: 'chat-sync', afterSeq: 0 });
    expect((await eye.next('chat-history')).messages.map((m) => m.text)).toEqual(['It rattles here']);

    // The customer and the specialist are told who is watching.
    for (const socket of [phone, desk]) {
      for (;;) {
        const frame = await socket.next('observers');
        if (frame.observers.length === 1) {
          expect(frame.observers[0]?.displayName).toBe('Thomas Berg');
          break;
        }
      }
    }

    // Live traffic reaches the observer.
    phone.send({ type: 'chat-send', clientId: 'phone-msg-2', text: 'Now it stopped' });
    expect((await eye.next('chat-message')).message.text).toBe('Now it stopped');
    desk.send({ type: 'annotation-start', id: 'stroke-2', tool: 'arrow', color: '#ff1f1f', width: 6, points: [[0.3, 0.3]] });
    expect((await eye.next('annotation-start')).mark.id).toBe('stroke-2');

    // Everything but watching is refused, and nobody else sees it.
    const attempts = [
      { type: 'annotation-start', id: 'stroke-x', tool: 'freehand', color: '#ff1f1f', width: 6, points: [[0.5, 0.5]] },
      { type: 'freeze' },
      { type: 'chat-send', clientId: 'observer-msg', text: 'Hello from the observer' },
      { type: 'signal', signal: { kind: 'offer', sdp: 'v=0\r\n' } },
      { type: 'media-state', media: { camera: true, microphone: true } },
    ];
    for (const frame of attempts) {
      eye.send(frame);
      expect(await eye.next('error')).toMatchObject({ code: 'forbidden' });
    }
    // A round trip on the customer's socket: had the observer's frames gone through, they would be queued before the pong.
    phone.send({ type: 'ping', t: 1 });
    await phone.next('pong');
    expect(
      phone.frames.filter(
        (f) => (f.type === 'chat-message' && f.message.clientId === 'observer-msg') || f.type === 'freeze-state' || f.type === 'signal',
      ),
    ).toEqual([]);
    expect(phone.frames.filter((f) => f.type === 'annotation-start' && f.mark.id === 'stroke-x')).toEqual([]);

    // Nor can its token upload a snapshot or download a photo's original as if it were the specialist.
    const asUploader = await fetch(`${h.relay.url}/api/sessions/${created.sessionId}/uploads?purpose=snapshot`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${watch.observerToken}`, 'Content-Type': 'image/png' },
      body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    });
    expect(asUploader.status).toBe(401);
    const asDownloader = await fetch(`${h.relay.url}/api/sessions/${created.sessionId}/uploads/${randomId()}/download`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${watch.observerToken}` },
    });
    expect(asDownloader.status).toBe(401);

    eye.close();
    for (;;) {
      const frame = await phone.next('observers');
      if (frame.observers.length === 0) break;
    }
    expect(await auditWithin(h, created.sessionId, 2)).toEqual([
      { kind: 'observer-joined', from_agent_name: 'Ada Agent', to_agent_name: 'Thomas Berg' },
      { kind: 'observer-left', from_agent_name: 'Ada Agent', to_agent_name: 'Thomas Berg' },
    ]);

    // Watching again, then the call ends: the socket closes, the token is dead, the audit says so.
    const again = await TestSocket.open(h.wsUrl(watch.observerToken));
    again.send({ type: 'hello', protocolVersion: 1 });
    await again.next('welcome');
    const end = await h.api(`/api/sessions/${created.sessionId}/end`, { method: 'POST', bearer: maria });
    expect(end.status).toBe(200);
    expect((await again.next('session-ended')).redirectUrl).toBeUndefined();
    expect(await again.closed()).toBe(4410);
    await expect(TestSocket.open(h.wsUrl(watch.observerToken))).rejects.toThrow(/HTTP 401/);
    expect((await auditWithin(h, created.sessionId, 4)).slice(2)).toEqual([
      { kind: 'observer-joined', from_agent_name: 'Ada Agent', to_agent_name: 'Thomas Berg' },
      { kind: 'observer-left', from_agent_name: 'Ada Agent', to_agent_name: 'Thomas Berg' },
    ]);
    const late = await h.api(`/api/sessions/${created.sessionId}/observe`, { method: 'POST', bearer: thomas });
    expect(late.status).toBe(409);
  });

  it('follows the ticket-access rules, and a session of another account is unknown (404)', async () => {
    const maria = await h.agentToken();
    const created = await h.createSession(maria, 1);
    const rita = await h.agentToken(String(RESTRICTED_AGENT_ID));
    const forbidden = await h.api(`/api/sessions/${created.sessionId}/observe`, { method: 'POST', bearer: rita });
    expect(forbidden.status).toBe(403);
    const anonymous = await h.api(`/api/sessions/${created.sessionId}/observe`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    // A customer's participant token is no agent token.
    const { participantToken } = await joinedCustomer(h, created);
    const asCustomer = await h.api(`/api/sessions/${created.sessionId}/observe`, { method: 'POST', bearer: participantToken });
    expect(asCustomer.status).toBe(401);

    // An agent signed in to another helpdesk account (its login row written as the relay would).
    const outsider = randomToken();
    const db = new Database(join(h.dataDir, 'relay.sqlite'));
    try {
      db.prepare(
        `INSERT INTO agent_sessions (token_hash, id, account, agent_id, agent_name, agent_email, agent_locale, created_at, expires_at)
         VALUES (?, ?, 'other.zendesk.com', '42', 'Eve Elsewhere', NULL, NULL, ?, ?)`,
      ).run(hashToken(outsider), randomId(), Date.now(), Date.now() + 3_600_000);
    } finally {
      db.close();
    }
    const elsewhere = await h.api(`/api/sessions/${created.sessionId}/observe`, { method: 'POST', bearer: outsider });
    expect(elsewhere.status).toBe(404);
  });
});
