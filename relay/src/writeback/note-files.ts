import type { BlobStore } from '../blobs/index.js';
import type { Logger } from '../logger.js';
import type { OutboxStore, StoredAttachment, StoredOperation } from './store.js';
import {
  HelpdeskWriteError,
  WriteFailure,
  type HelpdeskNoteWriter,
  type InlineNoteWriter,
  type NoteAttachmentFile,
  type NoteWriteOptions,
  type UploadingNoteWriter,
} from './types.js';

/** The files ready for the note request, and how that request is made; `refused` are named in the note. */
export interface PreparedNote {
  refused: string[];
  write(html: string, options: NoteWriteOptions): Promise<void>;
}

/** Answers to an upload that refuse that one file for good (file type or size not allowed). */
const FILE_REFUSED = new Set([413, 415, 422]);

/**
 * Gets an operation's files ready for its note in the helpdesk's way: uploaded first with their
 * tokens kept (Zendesk), or read and fitted to the ticket to go in the note request (Freshdesk).
 */
export class NoteFiles {
  constructor(
    private readonly d: {
      store: OutboxStore;
      writer: HelpdeskNoteWriter;
      blobs: Pick<BlobStore, 'get'>;
      uploadTokenTtlMs: number;
      now: () => number;
      logger?: Logger;
    },
  ) {}

  async prepare(op: StoredOperation, signal: AbortSignal): Promise<PreparedNote> {
    const writer = this.d.writer;
    if (writer.attachments === 'inline') {
      const { files, refused } = await this.inline(writer, op, signal);
      return { refused, write: (html, options) => writer.addNoteWithFiles(op.ticketId, html, files, options) };
    }
    const { tokens, refused } = await this.uploads(writer, op, signal);
    return { refused, write: (html, options) => writer.addInternalNote(op.ticketId, html, tokens, options) };
  }

  private async read(a: StoredAttachment): Promise<Uint8Array> {
    let data: Uint8Array | null;
    try {
      data = await this.d.blobs.get(a.blobKey);
    } catch (cause) {
      // The store failing (a database connection, a disk error) may pass: retried like a 5xx.
      throw new HelpdeskWriteError(`attachment ${a.fileName} cannot be read`, WriteFailure.Unavailable, { cause });
    }
    // Gone for good (erased, or never written): retrying would not bring it back.
    if (!data) throw new HelpdeskWriteError(`attachment ${a.fileName} cannot be read`, WriteFailure.Rejected);
    return data;
  }

  /**
   * Reads the files that go in the note request and has the writer fit them to what the ticket
   * can still take, asked anew on every try (the ticket's files may have grown meanwhile). Files
   * that cannot fit are named in the note, which is written in any case.
   */
  private async inline(
    writer: InlineNoteWriter,
    op: StoredOperation,
    signal: AbortSignal,
  ): Promise<{ files: NoteAttachmentFile[]; refused: string[] }> {
    const refused: string[] = [];
    const files: NoteAttachmentFile[] = [];
    for (const a of op.attachments) {
      if (a.refusedAt !== null) refused.push(a.fileName);
      else files.push({ fileName: a.fileName, contentType: a.contentType, data: await this.read(a) });
    }
    const fitted = await writer.fitToTicket(op.ticketId, files, { signal });
    if (fitted.left.length > 0) {
      this.d.logger?.warn(`write-back ${op.opKey}: ticket ${op.ticketId} cannot take ${fitted.left.length} file(s); the note names them`);
    }
    return { files: fitted.files, refused: [...refused, ...fitted.left] };
  }

  /**
   * Uploads what has no fresh token. A file the helpdesk refuses (an admin's allowed file types,
   * size) is left out for good and named in the note, so one file cannot hold back the whole note.
   */
  private async uploads(
    writer: UploadingNoteWriter,
    op: StoredOperation,
    signal: AbortSignal,
  ): Promise<{ tokens: string[]; refused: string[] }> {
    const { store, now } = this.d;
    const tokens: string[] = [];
    const refused: string[] = [];
    for (const a of op.attachments) {
      if (a.refusedAt !== null) {
        refused.push(a.fileName);
        continue;
      }
      if (a.uploadToken && a.uploadedAt !== null && now() - a.uploadedAt < this.d.uploadTokenTtlMs) {
        tokens.push(a.uploadToken);
        continue;
      }
      const data = await this.read(a);
      let token: string;
      try {
        token = await writer.uploadAttachment({ fileName: a.fileName, contentType: a.contentType, data }, { signal });
      } catch (error) {
        const status = error instanceof HelpdeskWriteError && error.kind === WriteFailure.Rejected ? error.details.status : undefined;
        if (status === undefined || !FILE_REFUSED.has(status)) throw error;
        await store.refuseAttachment(op.opKey, a.position, now());
        this.d.logger?.warn(`write-back ${op.opKey}: the helpdesk refused ${a.fileName} (${status}); the note goes without it`);
        refused.push(a.fileName);
        continue;
      }
      await store.saveUploadToken(op.opKey, a.position, token, now());
      tokens.push(token);
    }
    return { tokens, refused };
  }
}
