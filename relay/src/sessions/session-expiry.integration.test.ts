import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SessionView } from '@live-assist/protocol';
import { inviteTokenOf, joinedCustomer, startHarness, type Harness } from '../testing/harness.js';
import { TestSocket } from '../testing/ws-client.js';

const HOUR = 60 * 60 * 1000;

/** Opens a socket and answers with its first frame type or the refused upgrade. */
async function tryConnect(h: Harness, token: string): Promise<string> {
  try {
    const socket = await TestSocket.open(h.wsUrl(token));
    socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    const first = await Promise.race([socket.next('welcome').then(() => 'welcome'), socket.closed(5_000).then((c) => `closed ${c}`)]);
    socket.close();
    return first;
  } catch (error) {
    return (error as Error).message;
  }
}

async function status(h: Harness, agent: string, view: SessionView): Promise<string> {
  return ((await (await h.api(`/api/sessions/${view.sessionId}`, { bearer: agent })).json()) as SessionView).status;
}

describe('a session ends at its expiry (INVITE_TTL_HOURS=1)', () => {
  let h: Harness;
  let agent: string;
  beforeAll(async () => {
    h = await startHarness({ INVITE_TTL_HOURS: '1' }, { expirySweepMs: 50 });
    agent = await h.agentToken();
  });
  afterAll(() => h.close());

  it('past the expiry live sockets are closed, tokens refused, uploads refused, and the session is ended', async () => {
    const view = await h.createSession(agent, 1);
    const { participantToken } = await joinedCustomer(h, view);
    const specialist = await h.connect(view.specialistToken);
    const customer = await h.connect(participantToken);

    h.advanceClock(HOUR + 1_000);

    // The live call is ended by the relay itself, for both sides.
    expect(await customer.closed(10_000)).toBe(4410);
    expect(await specialist.closed(10_000)).toBe(4410);
    expect(await status(h, agent, view)).toBe('ended');

    // Old tokens open nothing and upload nothing.
    expect(await tryConnect(h, participantToken)).toMatch(/HTTP 40\d|closed/);
    expect(await tryConnect(h, view.specialistToken)).toMatch(/HTTP 40\d|closed/);
    const upload = await h.api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${participantToken}` },
      body: new Uint8Array([0xff, 0xd8, 0xff]),
    });
    expect(upload.status).toBe(401);
  });

  it('a customer token is refused past the expiry even before any sweep ended the session', async () => {
    const view = await h.createSession(agent, 2);
    const { participantToken } = await joinedCustomer(h, view);
    h.advanceClock(HOUR + 1_000);
    expect(await tryConnect(h, participantToken)).toMatch(/HTTP 40\d|closed/);
  });

  it("the customer's End call past the expiry ends the call (204), and again is still fine", async () => {
    const view = await h.createSession(agent, 1);
    const { participantToken } = await joinedCustomer(h, view);
    h.advanceClock(HOUR + 1_000);
    const end = () =>
      h.api(`/api/invites/${inviteTokenOf(view.inviteUrl)}/end`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${participantToken}` },
      });
    expect((await end()).status).toBe(204);
    expect(await status(h, agent, view)).toBe('ended');
    expect((await end()).status).toBe(204);
  });
});
