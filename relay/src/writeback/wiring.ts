import type { BlobStore } from '../blobs/index.js';
import type { Storage } from '../db/repository.js';
import type { Helpdesk } from '../helpdesk/types.js';
import type { Logger } from '../logger.js';
import type { SessionEvents } from '../sessions/events.js';
import { uploadBlobKey } from '../uploads/service.js';
import type { NameplateValues } from '@live-assist/protocol';
import { CallNotes, type Timers } from './call-notes.js';
import { CallImageKind, type CallImage } from './note/call-record.js';
import type { ChatReader, ImageReader, NameplateReader } from './record.js';
import type { NoteOperation, OutboxStatus, TicketFieldsOperation } from './types.js';

/** What the server hands createApp for the write-back: the running outbox. */
export interface WritebackDeps {
  outbox: {
    enqueue(op: NoteOperation): Promise<boolean>;
    status(opKey: string): Promise<OutboxStatus | null>;
    enqueueTicketFields?(op: TicketFieldsOperation): Promise<boolean>;
  };
  vanishGraceMs?: number;
  timers?: Timers;
}

/** The slices of the chat and upload repositories the note reads. */
export interface NoteStorage {
  chat?: {
    listAfter(
      sessionId: string,
      afterSeq: number,
      limit: number,
    ): Promise<{ seq: number; from: string; text: string; attachmentIds: string[]; createdAt: number }[]>;
  };
  uploads?: {
    listForSession(
      sessionId: string,
    ): Promise<{ id: string; purpose: string; contentType: string; createdAt: number; originalFile: string; sessionId: string }[]>;
    findById?(id: string): Promise<{ id: string; contentType: string; originalFile: string; sessionId: string } | null>;
  };
  nameplates?: {
    list(sessionId: string): Promise<{ uploadId: string; values: NameplateValues; createdAt: number }[]>;
  };
}

const CHAT_PAGE = 500;

export function chatReader(chat: NonNullable<NoteStorage['chat']>): ChatReader {
  return {
    async chatLines(sessionId) {
      const lines = [];
      for (let after = 0; ;) {
        const page = await chat.listAfter(sessionId, after, CHAT_PAGE);
        for (const m of page) {
          lines.push({
            at: m.createdAt,
            from: m.from === 'specialist' ? ('specialist' as const) : ('customer' as const),
            text: m.text,
            photos: m.attachmentIds.length,
          });
        }
        if (page.length < CHAT_PAGE) return lines;
        after = page[page.length - 1]!.seq;
      }
    },
  };
}

/**
 * Photos sent in a chat message and snapshots (annotations). A photo uploaded but never sent is
 * not part of the call, and a customer must not be able to flood the note with them; freeze
 * stills are working copies and stay out.
 */
export function imageReader(uploads: NonNullable<NoteStorage['uploads']>, chat?: NonNullable<NoteStorage['chat']>): ImageReader {
  return {
    async images(sessionId) {
      const sent = chat ? await sentInChat(chat, sessionId) : new Set<string>();
      const images: CallImage[] = [];
      for (const u of await uploads.listForSession(sessionId)) {
        const wanted = u.purpose === CallImageKind.snapshot || (u.purpose === CallImageKind.photo && sent.has(u.id));
        if (!wanted) continue;
        images.push({
          kind: u.purpose as CallImageKind,
          createdAt: u.createdAt,
          contentType: u.contentType,
          blobKey: uploadBlobKey(u.sessionId, u.originalFile),
        });
      }
      return images;
    },
  };
}

/** Confirmed plates with their crops' files; a crop erased since is left out, its values stay. */
export function nameplateReader(
  nameplates: NonNullable<NoteStorage['nameplates']>,
  uploads: Pick<NonNullable<NoteStorage['uploads']>, 'findById'> | undefined,
): NameplateReader {
  return {
    async nameplates(sessionId) {
      const plates = [];
      for (const p of await nameplates.list(sessionId)) {
        const upload = uploads?.findById ? await uploads.findById(p.uploadId) : null;
        const crop =
          upload && upload.sessionId === sessionId
            ? { contentType: upload.contentType, blobKey: uploadBlobKey(upload.sessionId, upload.originalFile) }
            : null;
        plates.push({ ...p.values, createdAt: p.createdAt, crop });
      }
      return plates;
    },
  };
}

async function sentInChat(chat: NonNullable<NoteStorage['chat']>, sessionId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after = 0; ;) {
    const page = await chat.listAfter(sessionId, after, CHAT_PAGE);
    for (const m of page) for (const id of m.attachmentIds) ids.add(id);
    if (page.length < CHAT_PAGE) return ids;
    after = page[page.length - 1]!.seq;
  }
}

export function createCallNotes(
  deps: WritebackDeps,
  app: {
    storage: Storage & NoteStorage;
    helpdesk: Helpdesk;
    /** Where long transcripts are written; the outbox reads attachments from the same store. */
    blobs: BlobStore;
    endSession: (sessionId: string, reason: 'ended-by-specialist' | 'ended-by-customer', at: number) => Promise<void>;
    now: () => number;
    log: Logger;
  },
): CallNotes {
  return new CallNotes({
    database: app.storage.database,
    outbox: deps.outbox,
    blobs: app.blobs,
    sources: {
      sessions: app.storage.sessions,
      tickets: app.helpdesk,
      journey: app.storage.journey,
      ...(app.storage.chat ? { chat: chatReader(app.storage.chat) } : {}),
      ...(app.storage.uploads ? { images: imageReader(app.storage.uploads, app.storage.chat) } : {}),
      ...(app.storage.nameplates ? { nameplates: nameplateReader(app.storage.nameplates, app.storage.uploads) } : {}),
      log: app.log,
    },
    endSession: app.endSession,
    now: app.now,
    log: app.log,
    ...(deps.vanishGraceMs === undefined ? {} : { vanishGraceMs: deps.vanishGraceMs }),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
}

/** Session ends reported by the service (agent ended it, a newer session replaced it). */
export function listenForEnds(notes: CallNotes, events: SessionEvents): () => void {
  return events.on('ended', ({ sessionId }) => notes.sessionEnded(sessionId));
}
