import { describe, expect, it } from 'vitest';
import { chatMessage as message } from '../testing/chat-fixtures.js';
import { draftEntry, type ChatEntry } from './entry.js';
import { mergeConfirmed } from './merge.js';

/** An own message the customer typed that the relay has not confirmed yet. */
function pending(clientId: string, text = clientId): ChatEntry {
  const photo = { blob: new Blob(['jpeg']), localUrl: `blob:${clientId}` };
  return draftEntry({ clientId, role: 'customer', text, replyTo: null, photos: [photo], sentAt: new Date(0).toISOString() });
}

/** What the list shows, in order: confirmed entries by seq, pending ones by client id. */
const shown = (entries: readonly ChatEntry[]) => entries.map((e) => (e.seq === null ? `pending ${e.clientId}` : `#${e.seq} ${e.status}`));

describe('mergeConfirmed', () => {
  it('shows confirmed messages in seq order, whatever order they arrive in', () => {
    const first = mergeConfirmed([], [message(3), message(1)], 'customer');
    const second = mergeConfirmed(first.entries, [message(2)], 'customer');
    expect(shown(second.entries)).toEqual(['#1 sent', '#2 sent', '#3 sent']);
    expect(second.lastSeq).toBe(3);
  });

  it('shows a message once however often the relay sends it', () => {
    const once = mergeConfirmed([], [message(1), message(2)], 'customer');
    // A replay after a reconnect repeats what is already shown, and one message twice in a page.
    const replayed = mergeConfirmed(once.entries, [message(1), message(2), message(2)], 'customer');
    expect(replayed.entries).toBe(once.entries);
    expect(replayed.confirmed).toEqual([]);
    expect(shown(mergeConfirmed([], [message(4), message(4)], 'customer').entries)).toEqual(['#4 sent']);
  });

  it('replaces a pending own message with the relay’s echo of it, keeping the local photo preview', () => {
    const local = pending('own-1');
    const echo = message(5, { clientId: 'own-1', from: 'customer', text: 'own-1' });
    const merged = mergeConfirmed([local], [echo], 'customer');
    expect(shown(merged.entries)).toEqual(['#5 sent']);
    expect(merged.entries[0]).toMatchObject({ mine: true, key: 'own-1', id: 'message-5' });
    expect(merged.entries[0]!.pendingPhotos).toBe(local.pendingPhotos);
    expect(merged.confirmed).toEqual([local]);
  });

  it('keeps own messages still in flight below every confirmed one, in the order typed', () => {
    const merged = mergeConfirmed([pending('own-a'), pending('own-b')], [message(2), message(1)], 'customer');
    expect(shown(merged.entries)).toEqual(['#1 sent', '#2 sent', 'pending own-a', 'pending own-b']);
    expect(merged.confirmed).toEqual([]);
  });

  it('confirms own messages that arrive out of order and puts each at its seq', () => {
    const entries = [...mergeConfirmed([], [message(1)], 'customer').entries, pending('own-a'), pending('own-b')];
    const merged = mergeConfirmed(
      entries,
      [message(4, { clientId: 'own-b', from: 'customer' }), message(2), message(3, { clientId: 'own-a', from: 'customer' })],
      'customer',
    );
    expect(shown(merged.entries)).toEqual(['#1 sent', '#2 sent', '#3 sent', '#4 sent']);
    expect(merged.entries.map((e) => e.key)).toEqual(['client-1-xx', 'client-2-xx', 'own-a', 'own-b']);
    expect(merged.confirmed.map((e) => e.clientId)).toEqual(['own-b', 'own-a']);
  });

  it('shows a message resent after a reconnect once, when both the first send and the resend are answered', () => {
    // Sent, the connection dropped before the echo, resent under the same client id after the
    // welcome: the relay stored it once and answers the replay and the resend with the same seq.
    const local = pending('own-1');
    const echo = message(7, { clientId: 'own-1', from: 'customer' });
    const replay = mergeConfirmed([local], [message(6), echo], 'customer');
    const resendAnswer = mergeConfirmed(replay.entries, [echo], 'customer');
    expect(shown(resendAnswer.entries)).toEqual(['#6 sent', '#7 sent']);
    expect(resendAnswer.entries).toBe(replay.entries);
    expect(replay.confirmed).toEqual([local]);
  });

  it('never takes the other side’s message for an own one with the same client id', () => {
    const local = pending('same-id');
    const merged = mergeConfirmed([local], [message(1, { clientId: 'same-id', from: 'specialist' })], 'customer');
    expect(shown(merged.entries)).toEqual(['#1 sent', 'pending same-id']);
    expect(merged.entries[0]!.mine).toBe(false);
    expect(merged.confirmed).toEqual([]);
  });

  it('shows an own message sent from an earlier page as own, though nothing waited for it here', () => {
    const merged = mergeConfirmed([], [message(1, { from: 'customer' })], 'customer');
    expect(merged.entries[0]).toMatchObject({ mine: true, status: 'sent', pendingPhotos: [] });
  });

  it('leaves the entries it was given untouched', () => {
    const entries = [pending('own-1')];
    mergeConfirmed(entries, [message(1, { clientId: 'own-1', from: 'customer' })], 'customer');
    expect(shown(entries)).toEqual(['pending own-1']);
  });
});
