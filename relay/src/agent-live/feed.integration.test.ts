import { AgentLiveFrameSchema, type AgentLiveFrame, type JoinResponse } from '@live-assist/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import type { FreshdeskHarness } from '../testing/harness.js';

/** A feed socket that keeps every frame, and waits for one that passes `test`. */
function openFeed(url: string) {
  const frames: AgentLiveFrame[] = [];
  const waiters: (() => void)[] = [];
  const ws = new WebSocket(url);
  ws.on('message', (data) => {
    frames.push(AgentLiveFrameSchema.parse(JSON.parse(String(data))));
    waiters.splice(0).forEach((wake) => wake());
  });
  const until = async (test: (f: AgentLiveFrame) => boolean): Promise<AgentLiveFrame> => {
    for (;;) {
      const found = frames.find(test);
      if (found) return found;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { ws, frames, until };
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => undefined);
  });
}

/**
 * The agent's live feed (`/ws/agent`), the Freshdesk sidebar's only way to follow a call (its
 * HTTP calls are rationed per account): every change of the session reaches the agent, with no
 * request from the app, and the socket closes once nothing will change any more.
 */
describe.each(ENGINES)("the agent's live feed of a session (%s)", (engine) => {
  let a: EngineHarness<FreshdeskHarness>;
  let agentToken: string;

  beforeAll(async () => {
    a = await startHarnessOn(engine, {}, { helpdesk: 'freshdesk' });
    agentToken = await a.h.agentToken();
  });
  afterAll(() => a?.close());

  const feedUrl = (sessionId: string, token = agentToken) =>
    `${a.h.relay.url.replace(/^http/, 'ws')}/ws/agent?session=${sessionId}&token=${token}`;

  it('pushes the customer joining and the end, with where the call note stands', async () => {
    const session = await a.h.createSession(agentToken, 1);
    const feed = openFeed(feedUrl(session.sessionId));
    const first = await feed.until(() => true);
    expect(first.session).toMatchObject({
      sessionId: session.sessionId,
      status: 'active',
      customerStage: 'waiting',
      specialistToken: null,
    });

    const joined = (await (await a.h.join(session.inviteUrl)).json()) as JoinResponse;
    const specialist = await a.h.connect(session.specialistToken);
    const phone = await a.h.connect(joined.participantToken);
    await feed.until((f) => f.session.customerConnected);

    phone.close();
    specialist.close();
    const ended = await a.h.api(`/api/sessions/${session.sessionId}/end`, { method: 'POST', bearer: agentToken });
    expect(ended.status).toBe(200);
    const last = await feed.until((f) => f.session.status === 'ended');
    expect(last.session.endedAt).not.toBeNull();
    // No media call took place, so there is no call note: the frame says so ("none").
    expect(last.note.state).toBe('none');
    feed.ws.close();
    // Nothing was sent to the relay on the socket: every frame came from the relay.
    expect(feed.frames.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a missing or made-up agent token (401) and a session it does not know (404)', async () => {
    const session = await a.h.createSession(agentToken, 1);
    expect(await statusOf(feedUrl(session.sessionId, ''))).toBe(401);
    expect(await statusOf(feedUrl(session.sessionId, 'x'.repeat(43)))).toBe(401);
    expect(await statusOf(feedUrl('no-such-session-0000'))).toBe(404);
  });
});
