import { AgentLiveFrameSchema, type AgentLiveFrame, type ApiError, type AppLiveToken, type JoinResponse } from '@live-assist/protocol';
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

  const feedUrl = (liveToken: string) => `${a.h.relay.url.replace(/^http/, 'ws')}/ws/agent?token=${liveToken}`;
  /** The feed's token through the app action, as the sidebar gets it (one template call). */
  const liveTokenFor = async (sessionId: string, token = agentToken) => {
    const res = await fetch(`${a.h.relay.url}/api/app/actions/live`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ agentToken: token, sessionId }),
    });
    return { status: res.status, body: (await res.json()) as AppLiveToken & ApiError };
  };

  it('pushes the customer joining and the end, with where the call note stands', async () => {
    const session = await a.h.createSession(agentToken, 1);
    const live = await liveTokenFor(session.sessionId);
    expect(live.status).toBe(200);
    // An hour at most, and it is not the agent token.
    expect(Date.parse(live.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60 * 60 * 1000);
    expect(live.body.liveToken).not.toContain(agentToken);
    const feed = openFeed(feedUrl(live.body.liveToken));
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
    // Whether a call note is due depends on the media call having started (both sides in the
    // call at once), which this test does not drive; the frame carries the note's state either way.
    expect(['none', 'pending', 'retrying', 'done']).toContain(last.note.state);
    feed.ws.close();
    // Nothing was sent to the relay on the socket: every frame came from the relay.
    expect(feed.frames.length).toBeGreaterThanOrEqual(3);
  });

  it('opens only with a live token: not the agent token, not an altered one; the action checks the session', async () => {
    const session = await a.h.createSession(agentToken, 1);
    const { body } = await liveTokenFor(session.sessionId);
    expect(await statusOf(feedUrl(''))).toBe(401);
    expect(await statusOf(feedUrl(agentToken))).toBe(401);
    const [payload, signature] = body.liveToken.split('.');
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), s: 'another-session-1' }),
    ).toString('base64url');
    expect(await statusOf(feedUrl(`${other}.${signature}`))).toBe(401);
    expect(await statusOf(feedUrl(body.liveToken))).toBe(101);

    expect((await liveTokenFor('no-such-session-0000')).status).toBe(404);
    expect((await liveTokenFor(session.sessionId, 'x'.repeat(43))).status).toBe(401);
  });
});
