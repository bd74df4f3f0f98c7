import { z } from 'zod';
import {
  ChatClientIdSchema,
  ChatQuoteSchema,
  MAX_CHAT_ATTACHMENTS,
  MAX_CHAT_TEXT,
  UploadViewSchema,
  type Role,
} from '@live-assist/protocol';
import { ChatEntryStatus, ChatFailure, type ChatEntry } from './entry.js';

/** The part of `Storage` the outbox needs (the page passes `sessionStorage`; tests a map). */
export interface ChatOutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * One own message the relay has not acknowledged yet, as kept across a reload. A photo already
 * uploaded is kept as its upload; one that is not waits in the photo vault under its position.
 */
const OutboxItemSchema = z
  .object({
    clientId: ChatClientIdSchema,
    text: z.string().max(MAX_CHAT_TEXT),
    replyTo: ChatQuoteSchema.nullable(),
    sentAt: z.string(),
    photos: z
      .array(z.object({ upload: UploadViewSchema.nullable() }))
      .max(MAX_CHAT_ATTACHMENTS)
      .default([]),
  })
  .refine((item) => item.text.length > 0 || item.photos.length > 0);
export type OutboxItem = z.infer<typeof OutboxItemSchema>;
const OutboxSchema = z.array(OutboxItemSchema);

/** What a previous page left unsent, in the order typed; anything unreadable counts as nothing. */
export function readOutbox(storage: ChatOutboxStorage, key: string): OutboxItem[] {
  let items: OutboxItem[] = [];
  try {
    const parsed = OutboxSchema.safeParse(JSON.parse(storage.getItem(key) ?? '[]'));
    if (parsed.success) items = parsed.data;
  } catch {
    items = [];
  }
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.clientId) && seen.add(item.clientId));
}

export function writeOutbox(storage: ChatOutboxStorage, key: string, items: OutboxItem[]): void {
  try {
    if (items.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(items));
  } catch (error) {
    // Full or blocked storage: the messages still go out from memory while the page lives.
    console.warn('[chat] could not keep unsent messages', error);
  }
}

/**
 * Own messages not yet confirmed by the relay (still sending, or failed for lack of an answer:
 * the relay may not have it). A message with photos is listed once every photo is uploaded or
 * its file is in the vault (`vaulted`); until then a reload loses it.
 */
export function outboxItemsOf(entries: readonly ChatEntry[], vaulted: ReadonlySet<string>): OutboxItem[] {
  return entries
    .filter(
      (e) =>
        e.mine &&
        e.seq === null &&
        e.failure !== ChatFailure.rejected &&
        (e.text.length > 0 || e.pendingPhotos.length > 0) &&
        (vaulted.has(e.clientId) || e.pendingPhotos.every((p) => p.upload !== null)),
    )
    .map((e) => ({
      clientId: e.clientId,
      text: e.text,
      replyTo: e.replyTo,
      sentAt: e.sentAt,
      photos: e.pendingPhotos.map((p) => ({ upload: p.upload })),
    }));
}

/** The entry of a restored message, sending again; files still to upload are read back later. */
export function entryFromOutbox(item: OutboxItem, role: Role): ChatEntry {
  return {
    key: item.clientId,
    clientId: item.clientId,
    mine: true,
    from: role,
    senderName: '',
    text: item.text,
    replyTo: item.replyTo,
    attachments: [],
    pendingPhotos: item.photos.map((p) => ({ blob: null, localUrl: p.upload?.previewUrl ?? null, upload: p.upload })),
    status: ChatEntryStatus.sending,
    failure: null,
    seq: null,
    id: null,
    sentAt: item.sentAt,
  };
}
