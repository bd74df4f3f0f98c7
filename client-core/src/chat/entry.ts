import { MAX_QUOTE_TEXT, type ChatMessage, type ChatQuote, type Role, type UploadView } from '@live-assist/protocol';

export const ChatEntryStatus = { sending: 'sending', sent: 'sent', failed: 'failed' } as const;
export type ChatEntryStatus = (typeof ChatEntryStatus)[keyof typeof ChatEntryStatus];

export const ChatFailure = {
  tooLarge: 'too-large',
  unsupported: 'unsupported',
  upload: 'upload',
  quota: 'quota',
  rejected: 'rejected',
  timeout: 'timeout',
} as const;
export type ChatFailure = (typeof ChatFailure)[keyof typeof ChatFailure];

/** A photo on its way: shown from the local file until the relay has a copy. */
export interface PendingPhoto {
  /** null while a photo restored after a reload is read back from the vault (or when it is gone). */
  blob: Blob | null;
  /** e.g. an object URL; the UI owns its lifetime. */
  localUrl: string | null;
  upload: UploadView | null;
}

export interface ChatEntry {
  /** Stable React key: the client id. */
  key: string;
  clientId: string;
  mine: boolean;
  from: Role;
  senderName: string;
  text: string;
  replyTo: ChatQuote | null;
  /** Confirmed photos (relay URLs). */
  attachments: UploadView[];
  /** Own photos not yet confirmed. */
  pendingPhotos: PendingPhoto[];
  status: ChatEntryStatus;
  failure: ChatFailure | null;
  seq: number | null;
  id: string | null;
  sentAt: string;
}

/** A new own message as it is shown while it is being sent. */
export function draftEntry(draft: {
  clientId: string;
  role: Role;
  text: string;
  replyTo: ChatMessage | ChatEntry | null;
  photos: { blob: Blob; localUrl: string | null }[];
  sentAt: string;
}): ChatEntry {
  return {
    key: draft.clientId,
    clientId: draft.clientId,
    mine: true,
    from: draft.role,
    senderName: '',
    text: draft.text,
    replyTo: draft.replyTo ? quoteOf(draft.replyTo) : null,
    attachments: [],
    pendingPhotos: draft.photos.map((p) => ({ blob: p.blob, localUrl: p.localUrl, upload: null })),
    status: ChatEntryStatus.sending,
    failure: null,
    seq: null,
    id: null,
    sentAt: draft.sentAt,
  };
}

/** A reply quotes a confirmed message only: one still in flight has no id the relay knows. */
function quoteOf(target: ChatMessage | ChatEntry): ChatQuote | null {
  if (target.id === null || target.seq === null) return null;
  const photos = target.attachments.length;
  return { id: target.id, seq: target.seq, from: target.from, text: target.text.slice(0, MAX_QUOTE_TEXT), photos };
}
