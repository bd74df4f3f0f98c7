import type { ChatQuote, Role, UploadView } from '@live-assist/protocol';

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
