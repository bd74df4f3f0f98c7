import { describe, expect, it } from 'vitest';
import { ObserveResponseSchema } from '@live-assist/protocol';
import { joinedCustomer, type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

const THOMAS = '44';

describe('quality ladder steps between the two sides', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  it("each side hears the other's step, a page that joins later hears the last one, and an observer hears the customer's", async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent);
    const desk = await h.connect(view.specialistToken);
    const phone = await h.connect((await joinedCustomer(h, view)).participantToken);
    phone.send({ type: 'link-quality', step: 'audio' });
    expect(await desk.next('link-quality')).toEqual({ type: 'link-quality', from: 'customer', step: 'audio' });
    desk.send({ type: 'link-quality', step: 'medium' });
    expect(await phone.next('link-quality')).toEqual({ type: 'link-quality', from: 'specialist', step: 'medium' });

    desk.close();
    const again = await h.connect(view.specialistToken);
    expect(await again.next('link-quality')).toEqual({ type: 'link-quality', from: 'customer', step: 'audio' });

    const res = await h.api(`/api/sessions/${view.sessionId}/observe`, { method: 'POST', bearer: await h.agentToken(THOMAS) });
    const watcher = await h.connect(ObserveResponseSchema.parse(await res.json()).observerToken);
    expect(await watcher.next('link-quality')).toMatchObject({ from: 'customer', step: 'audio' });
    watcher.send({ type: 'link-quality', step: 'high' });
    expect(await watcher.next('error')).toMatchObject({ code: 'forbidden' });
  });
});
