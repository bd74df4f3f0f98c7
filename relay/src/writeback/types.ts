/**
 * Write-back of call records to the helpdesk. Helpdesk-neutral: Zendesk is one
 * implementation of HelpdeskNoteWriter, Freshdesk will be another.
 */

export interface NoteAttachment {
  fileName: string;
  contentType: string;
  /** The file in the relay's blob store, read when the attachment is uploaded (it must outlive the operation). */
  blobKey: string;
}

/** Write one internal note to a ticket; opKey makes the write idempotent. */
export interface NoteOperation {
  /** Unique per note, e.g. `call-note:<sessionId>`; also embedded in the note as its marker. */
  opKey: string;
  ticketId: number;
  htmlBody: string;
  attachments: NoteAttachment[];
  /** The helpdesk user shown as the note's author (the agent who ran the call). */
  authorId?: number;
  /** Trusted heading (in the note's language) over the list of files the helpdesk refused. */
  refusedFilesHeading?: string;
  /**
   * Body of the follow-up comments that carry the files one comment cannot hold (the helpdesk
   * limits files and bytes per comment); without it they repeat htmlBody.
   */
  followUpHtml?: string;
}

/** What one comment of the helpdesk takes; attachments beyond go to follow-up comments. */
export interface CommentLimits {
  maxFiles: number;
  maxBytes: number;
}

export interface NoteAttachmentFile {
  fileName: string;
  contentType: string;
  data: Uint8Array;
}

export interface WriteOptions {
  signal?: AbortSignal;
}

export interface FindNoteOptions extends WriteOptions {
  /** Epoch ms; comments created before it cannot be the note, so the search stops there. */
  since?: number;
}

export interface NoteWriteOptions extends WriteOptions {
  authorId?: number;
}

export interface HelpdeskNoteWriter {
  /** Per-comment attachment limits of this helpdesk; none means one comment takes everything. */
  readonly commentLimits?: CommentLimits;
  /** Returns the helpdesk's token for a file that a note can then reference. */
  uploadAttachment(file: NoteAttachmentFile, options?: WriteOptions): Promise<string>;
  addInternalNote(ticketId: number, html: string, uploadTokens: readonly string[], options?: NoteWriteOptions): Promise<void>;
  /** Whether any comment on the ticket already carries `marker` (see noteMarker). */
  findNoteWithMarker(ticketId: number, marker: string, options?: FindNoteOptions): Promise<boolean>;
}

export const WriteFailure = {
  /** The helpdesk asked us to slow down; nothing was written. */
  RateLimited: 'rate_limited',
  /** 5xx, conflict, network error or timeout: worth retrying, and the write may have happened. */
  Unavailable: 'unavailable',
  /** The helpdesk refused the request (bad credentials, unknown ticket, invalid body). */
  Rejected: 'rejected',
} as const;
export type WriteFailure = (typeof WriteFailure)[keyof typeof WriteFailure];

export class HelpdeskWriteError extends Error {
  override name = 'HelpdeskWriteError';

  constructor(
    message: string,
    readonly kind: WriteFailure,
    readonly details: { status?: number; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

export type OutboxStatus =
  | { state: 'pending'; attempts: number }
  | { state: 'retrying'; attempts: number; nextAttemptAt: number; lastError: string }
  | { state: 'done'; attempts: number; doneAt: number }
  | { state: 'failed'; attempts: number; lastError: string };
