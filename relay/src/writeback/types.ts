import type { NameplateField, NameplateValues } from '@live-assist/protocol';

/**
 * Write-back of call records to the helpdesk. Helpdesk-neutral: Zendesk and Freshdesk each
 * implement HelpdeskNoteWriter, in one of its two ways of attaching files.
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

/**
 * Sets the ticket fields the admin mapped to a confirmed nameplate's values; queued after the
 * note (`follows`) and retried like it. Which field gets which value is read at write time from
 * the helpdesk's own configuration, never from the agent's browser.
 */
export interface TicketFieldsOperation {
  /** `ticket-fields:<sessionId>`. */
  opKey: string;
  ticketId: number;
  /** The note's key: the fields are written once that note is settled. */
  follows: string;
  values: NameplateValues;
}

/** What came of one ticket-field write; a refused field never fails the others. */
export interface TicketFieldsResult {
  written: NameplateField[];
  /** Mapped, but the helpdesk would not take it (no such field, a value the field refuses). */
  refused: { field: NameplateField; reason: string }[];
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

interface NoteWriterBase {
  /** Per-comment attachment limits of this helpdesk; none means one comment takes everything. */
  readonly commentLimits?: CommentLimits;
  /** Whether any comment on the ticket already carries `marker` (see noteMarker). */
  findNoteWithMarker(ticketId: number, marker: string, options?: FindNoteOptions): Promise<boolean>;
  /**
   * Writes the values to the ticket fields mapped to them (unmapped ones are left alone).
   * Throws HelpdeskWriteError when nothing could be decided (rate limit, 5xx, ticket gone);
   * a field the helpdesk refuses is reported in the result. Absent: this helpdesk maps none.
   */
  writeTicketFields?(ticketId: number, values: NameplateValues, options?: WriteOptions): Promise<TicketFieldsResult>;
}

/** Files go up first, each on its own request, and the note names them by token (Zendesk). */
export interface UploadingNoteWriter extends NoteWriterBase {
  readonly attachments?: 'uploaded';
  /** Returns the helpdesk's token for a file that a note can then reference. */
  uploadAttachment(file: NoteAttachmentFile, options?: WriteOptions): Promise<string>;
  addInternalNote(ticketId: number, html: string, uploadTokens: readonly string[], options?: NoteWriteOptions): Promise<void>;
}

/** The files as they will go with the note, and the names of those the ticket cannot take. */
export interface FittedFiles {
  files: NoteAttachmentFile[];
  left: string[];
}

/**
 * Files travel in the note request itself (Freshdesk), so every try sends them again, and the
 * helpdesk holds the whole ticket's files to a byte budget rather than one comment's.
 */
export interface InlineNoteWriter extends NoteWriterBase {
  readonly attachments: 'inline';
  /** Makes `files` fit what the ticket can still take (smaller images); names any that still cannot go. */
  fitToTicket(ticketId: number, files: readonly NoteAttachmentFile[], options?: WriteOptions): Promise<FittedFiles>;
  addNoteWithFiles(ticketId: number, html: string, files: readonly NoteAttachmentFile[], options?: NoteWriteOptions): Promise<void>;
}

export type HelpdeskNoteWriter = UploadingNoteWriter | InlineNoteWriter;

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
