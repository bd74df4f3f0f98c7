import type { ChatMessage, Role } from '@live-assist/protocol';
import { ChatEntryStatus, type ChatEntry } from './entry.js';

export interface MergeResult {
  /** The same array when none of the messages was new. */
  entries: ChatEntry[];
  /** Own entries still in flight that these messages confirmed (their timers and kept files can go). */
  confirmed: ChatEntry[];
  /** The highest relay seq among the confirmed entries, 0 without any. */
  lastSeq: number;
}

/**
 * Merges messages the relay confirmed (live, or replayed after a reconnect) into the entries:
 * a seq already shown is skipped, so replays and resends never show a message twice; an own
 * message still in flight becomes the relay's copy in place of the local one.
 */
export function mergeConfirmed(entries: readonly ChatEntry[], messages: readonly ChatMessage[], role: Role): MergeResult {
  const seen = new Set(entries.flatMap((e) => (e.seq === null ? [] : [e.seq])));
  let next = entries as ChatEntry[];
  const confirmed: ChatEntry[] = [];
  for (const message of messages) {
    if (seen.has(message.seq)) continue;
    seen.add(message.seq);
    const entry = entryOf(message, role);
    const own = entry.mine ? next.findIndex((e) => e.seq === null && e.clientId === message.clientId) : -1;
    if (own !== -1) {
      const pending = next[own]!;
      confirmed.push(pending);
      // Keep the local previews so the thumbnail does not flash while the relay copy loads.
      entry.pendingPhotos = pending.pendingPhotos;
      next = next.filter((_, i) => i !== own);
    }
    next = insertBySeq(next, entry);
  }
  let lastSeq = 0;
  for (const seq of seen) lastSeq = Math.max(lastSeq, seq);
  return { entries: next, confirmed, lastSeq };
}

function entryOf(message: ChatMessage, role: Role): ChatEntry {
  return {
    key: message.clientId,
    clientId: message.clientId,
    mine: message.from === role,
    from: message.from,
    senderName: message.senderName,
    text: message.text,
    replyTo: message.replyTo,
    attachments: message.attachments,
    pendingPhotos: [],
    status: ChatEntryStatus.sent,
    failure: null,
    seq: message.seq,
    id: message.id,
    sentAt: message.sentAt,
  };
}

/** Confirmed messages in seq order, then own messages still in flight in the order typed. */
function insertBySeq(entries: ChatEntry[], entry: ChatEntry): ChatEntry[] {
  const seq = entry.seq ?? Infinity;
  const at = entries.findIndex((e) => e.seq === null || e.seq > seq);
  return at === -1 ? [...entries, entry] : [...entries.slice(0, at), entry, ...entries.slice(at)];
}
