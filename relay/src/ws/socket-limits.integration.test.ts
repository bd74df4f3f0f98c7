import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@live-assist/protocol';
import { joinedCustomer, startHarness, type Harness } from '../testing/harness.js';
import { TestSocket } from '../testing/ws-client.js';

describe('socket limits', () => {
  let h: Harness;
  beforeAll(async () => {
    // Short for a quick test; a client that says hello as its socket opens is far inside it.
    h = await startHarness({}, { helloTimeoutMs: 2_000 });
  });
  afterAll(() => h.close());

  it('a socket that never says hello is closed (4408); one that did stays open', async () => {
    const view = await h.createSession(await h.agentToken());
    const silent = await TestSocket.open(h.wsUrl(view.specialistToken));
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);

    expect(await silent.closed()).toBe(CloseCode.helloTimeout);
    // The silent socket's timeout has passed: the phone's, started with it, has too.
    phone.send({ type: 'ping', t: 1 });
    expect((await phone.next('pong')).t).toBe(1);
    expect(phone.closeCode).toBeNull();
    phone.close();
  });

  it('one token holds at most four sockets at once; the next is refused with 429 until one closes', async () => {
    const view = await h.createSession(await h.agentToken(), 2);
    const open = await Promise.all(Array.from({ length: 4 }, () => TestSocket.open(h.wsUrl(view.specialistToken))));
    await expect(TestSocket.open(h.wsUrl(view.specialistToken))).rejects.toThrow('HTTP 429');

    // Another participant's token is not affected.
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);

    open[0]!.close();
    await expect
      .poll(async () => {
        const next = await TestSocket.open(h.wsUrl(view.specialistToken)).catch(() => null);
        next?.close();
        return next !== null;
      })
      .toBe(true);
    for (const socket of open) socket.close();
    phone.close();
  });
});
