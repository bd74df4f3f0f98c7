import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, type SessionView } from '@live-assist/protocol';
import { Engine } from '../db/database.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, waitFor } from '../testing/harness.js';
import { metricSample as sample } from '../testing/metrics.js';
import { SHARED_RELAY_SECRET, spawnPeerRelay, startPeerRelay, type PeerRelay } from '../testing/peer-relay.js';
import { startTestRedis, type TestRedis } from '../testing/redis.js';
import type { TestSocket } from '../testing/ws-client.js';

/** Short, so a dead relay's sessions move within the test. */
const LEASE_MS = 1_200;

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let a: EngineHarness | undefined;
let peers: PeerRelay[] = [];
afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
  await a?.close();
  a = undefined;
});

/** Relay A (the test's harness) and relay B, sharing PostgreSQL, the secret and a Redis. */
async function twoRelays(kind: 'in-process' | 'process' = 'in-process'): Promise<{ a: EngineHarness; b: PeerRelay }> {
  const env = { RELAY_SECRET: SHARED_RELAY_SECRET, REDIS_URL: redis.url };
  a = await startHarnessOn(Engine.postgres, env, { cluster: { leaseMs: LEASE_MS } });
  const b =
    kind === 'process'
      ? await spawnPeerRelay(a, env, { cluster: { leaseMs: LEASE_MS } })
      : await startPeerRelay(a, env, { cluster: { leaseMs: LEASE_MS } });
  peers.push(b);
  return { a, b };
}

async function ticketSession(relayUrl: string, agent: string): Promise<SessionView> {
  const res = await fetch(`${relayUrl}/api/tickets/1/session`, { headers: { Authorization: `Bearer ${agent}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionView;
}

async function chat(from: TestSocket, to: TestSocket, clientId: string, text: string) {
  from.send({ type: 'chat-send', clientId, text });
  for (;;) {
    const frame = await to.next('chat-message');
    if (frame.message.clientId === clientId) return frame.message;
  }
}

describe('relays sharing rooms through Redis', () => {
  it('the console on relay A and the phone on relay B are in one call: signaling, marks, chat, presence, end', async () => {
    const { a, b } = await twoRelays();
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);
    const desk = await a.h.connect(view.specialistToken);
    const customer = await joinedCustomer(a.h, view);
    const phone = await b.connect(customer.participantToken);

    // Each side sees the other connected, whichever relay it is on.
    await waitFor('the desk to see the phone', async () =>
      desk.frames.some((f) => f.type === 'participant' && f.participant.role === 'customer' && f.participant.connected),
    );
    const offer = { kind: 'offer', sdp: 'v=0 offer from the console' } as const;
    desk.send({ type: 'signal', signal: offer });
    expect((await phone.next('signal')).signal).toEqual(offer);
    const answer = { kind: 'answer', sdp: 'v=0 answer from the phone' } as const;
    phone.send({ type: 'signal', signal: answer });
    expect((await desk.next('signal')).signal).toEqual(answer);

    desk.send({ type: 'annotation-start', id: 'ring-1', tool: 'rectangle', color: '#ff1f1f', width: 6, points: [[0.2, 0.2]] });
    desk.send({ type: 'annotation-finish', id: 'ring-1' });
    expect((await phone.next('annotation-start')).mark.id).toBe('ring-1');
    expect((await chat(phone, desk, 'phone-line-1', 'The pump is humming')).seq).toBe(1);
    expect((await chat(desk, phone, 'desk-line-1', 'Show me the nameplate')).seq).toBe(2);

    // Each relay reports what it has published that Redis has not acknowledged, and nothing dropped.
    for (const url of [a.h.relay.url, b.url]) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(sample(metrics, 'relay_bus_pending_bytes')).not.toBeNull();
      expect(sample(metrics, 'relay_frames_dropped_total', 'reason="bus_backlog"')).toBe(0);
    }

    // The agent's view on relay B asks relay A, which holds the room, whether the customer is there.
    expect(await ticketSession(b.url, agent)).toMatchObject({ customerConnected: true });

    // Ended through relay B: both sockets, on both relays, hear it and close with 4410.
    const ended = await fetch(`${b.url}/api/sessions/${view.sessionId}/end`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${agent}` },
    });
    expect(ended.status).toBe(200);
    expect(await phone.closed()).toBe(CloseCode.sessionEnded);
    expect(await desk.closed()).toBe(CloseCode.sessionEnded);
  });

  it('the relay holding the call is killed: the other tells its socket to reconnect, takes the room, and nothing is lost', async () => {
    const { a, b } = await twoRelays('process');
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);
    // The console attaches first, on relay B: B holds the room. The customer's consent (through
    // relay A) is told to B, and the phone's socket on A is proxied to B.
    const desk = await b.connect(view.specialistToken);
    const customer = await joinedCustomer(a.h, view);
    const phone = await a.h.connect(customer.participantToken);
    await waitFor('the desk to see the consent', async () =>
      desk.frames.some((f) => f.type === 'participant' && f.participant.role === 'customer' && f.participant.stage === 'consented'),
    );
    desk.send({ type: 'annotation-start', id: 'arrow-1', tool: 'arrow', color: '#ff1f1f', width: 6, points: [[0.1, 0.1]] });
    desk.send({ type: 'annotation-extend', id: 'arrow-1', points: [[0.5, 0.5]] });
    desk.send({ type: 'annotation-finish', id: 'arrow-1' });
    await phone.next('annotation-finish');
    await chat(phone, desk, 'phone-before', 'Before the crash');

    const killedAt = Date.now();
    (b as PeerRelay & { child: { kill(signal: string): void } }).child.kill('SIGKILL');
    // Relay A notices its holder is gone once the lease lapses, and sends the phone to reconnect.
    expect(await phone.closed(10 * LEASE_MS)).toBe(CloseCode.relayRestart);
    const told = Date.now() - killedAt;
    expect(told).toBeLessThan(5 * LEASE_MS);

    const phoneAgain = await a.h.connect(customer.participantToken);
    const deskAgain = await a.h.connect(view.specialistToken);
    // A rebuilt the room from PostgreSQL: the finished arrow, and the chat, once.
    const marks = (await deskAgain.next('annotation-state')).state;
    expect(JSON.stringify(marks)).toContain('arrow-1');
    phoneAgain.send({ type: 'chat-send', clientId: 'phone-before', text: 'Before the crash' });
    expect((await chat(phoneAgain, deskAgain, 'phone-after', 'After the crash')).seq).toBe(2);
    deskAgain.send({ type: 'chat-sync', afterSeq: 0 });
    const history = await deskAgain.next('chat-history');
    expect(history.messages.map((m) => m.text)).toEqual(['Before the crash', 'After the crash']);
    expect(await ticketSession(a.h.relay.url, agent)).toMatchObject({ customerConnected: true });
    phoneAgain.close();
    deskAgain.close();
  }, 60_000);

  it('Redis restarts: the relays reconnect by themselves and a call across them works again', async () => {
    const { a, b } = await twoRelays();
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);
    const customer = await joinedCustomer(a.h, view);
    const desk = await a.h.connect(view.specialistToken);
    const phone = await b.connect(customer.participantToken);
    await chat(phone, desk, 'phone-before', 'Before Redis restarted');

    await redis.restart(async () => {
      // Not ready while Redis is away: the load balancer sends new clients to a relay that is.
      await waitFor('relay B to say it is not ready', async () => {
        const res = await fetch(`${b.url}/readyz`);
        return res.status === 503 && ((await res.json()) as { failed?: string[] }).failed?.includes('redis');
      });
    });
    // The proxied phone may have lost frames in between: it is sent to reconnect.
    expect(await phone.closed(20_000)).toBe(CloseCode.relayRestart);
    await waitFor('relay B to be ready again', async () => (await fetch(`${b.url}/readyz`)).status === 200, 20_000);
    await waitFor('relay A to be ready again', async () => (await fetch(`${a.h.relay.url}/readyz`)).status === 200, 20_000);
    // The holder takes its lease back in the empty Redis by itself. (Were the phone back first, on
    // a loaded machine relay B could take the session, and relay A would send the desk to
    // reconnect too: a 1012 the test's desk would not follow; see docs/deploy.md.)
    const probe = new Redis(redis.url);
    try {
      await waitFor(
        'relay A to hold the session again',
        async () => (await probe.get(`live-assist:room:${view.sessionId}`)) !== null,
        20_000,
      );
    } finally {
      probe.disconnect();
    }
    const phoneAgain = await b.connect(customer.participantToken);
    expect((await chat(phoneAgain, desk, 'phone-after', 'After Redis restarted')).seq).toBe(2);
    expect((await chat(desk, phoneAgain, 'desk-after-restart', 'Received')).seq).toBe(3);
    phoneAgain.close();
    desk.close();
  }, 60_000);
});
