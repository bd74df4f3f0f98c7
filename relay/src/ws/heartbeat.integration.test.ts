import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinedCustomer, startHarness, type Harness } from '../testing/harness.js';

describe('heartbeat', () => {
  let h: Harness;
  beforeAll(async () => {
    // Short enough for a quick test, long enough that a busy machine's event-loop lag (the test's
    // own sockets answer pings on this same loop) never drops the healthy specialist socket.
    h = await startHarness({}, { heartbeatMs: 2_000 });
  });
  afterAll(() => h.close());

  it('a phone that vanished without closing frees the customer seat for a new device', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const customer = await joinedCustomer(h, view);
    const specialist = await h.connect(view.specialistToken);
    const phone = await h.connect(customer.participantToken);
    expect((await specialist.next('participant')).participant.connected).toBe(true);
    expect((await h.join(view.inviteUrl)).status).toBe(409);

    // Stop reading: pings go unanswered, like a phone that lost its network.
    (phone.ws as unknown as { _socket: Socket })._socket.pause();
    const gone = await specialist.next('participant', 30_000);
    expect(gone.participant).toMatchObject({ role: 'customer', connected: false });
    expect((await h.join(view.inviteUrl)).status).toBe(200);
    specialist.close();
  });
});
