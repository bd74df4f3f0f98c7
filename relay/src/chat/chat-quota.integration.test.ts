import { describe, expect, it } from 'vitest';
import { MAX_CHAT_TEXT, MAX_SESSION_CHAT_BYTES } from '@live-assist/protocol';
import { joinedCustomer, type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

describe('chat quota per session', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  it('a flood of 2 KB messages stops at the session quota: later messages are refused, not stored', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent, 1);
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);
    const text = 'x'.repeat(MAX_CHAT_TEXT);
    const fits = Math.floor(MAX_SESSION_CHAT_BYTES / MAX_CHAT_TEXT);

    const sent = fits + 5;
    const begun = Date.now();
    // Paced below the relay's frame budget (200 a second), so every frame reaches the chat.
    for (let n = 1; n <= sent; n += 1) {
      const allowedAt = begun + (n / 150) * 1000;
      if (Date.now() < allowedAt) await new Promise((r) => setTimeout(r, allowedAt - Date.now()));
      phone.send({ type: 'chat-send', clientId: `flood-${String(n).padStart(5, '0')}`, text });
    }
    const answers = () => phone.frames.filter((f) => f.type === 'chat-message' || f.type === 'chat-rejected');
    const deadline = Date.now() + 30_000;
    while (answers().length < sent) {
      if (Date.now() > deadline) throw new Error(`only ${answers().length} of ${sent} answered`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const stored = answers().filter((f) => f.type === 'chat-message');
    const refused = answers().flatMap((f) => (f.type === 'chat-rejected' ? [f] : []));
    expect(stored).toHaveLength(fits);
    expect(refused.map((f) => f.reason)).toEqual(Array(5).fill('quota'));
    expect(refused[0]!.clientId).toBe(`flood-${String(fits + 1).padStart(5, '0')}`);
  }, 60_000);
});
