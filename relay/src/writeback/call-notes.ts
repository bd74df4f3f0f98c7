import type { Kysely } from 'kysely';
import { BlobArea, sessionKey, type BlobStore } from '../blobs/index.js';
import { tables, type Database } from '../db/database.js';
import { Role, SessionStatus, type NameplateValues } from '@live-assist/protocol';
import type { Logger } from '../logger.js';
import type { RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';
import { composeCallNote } from './note/compose.js';
import { NOTE_STRINGS } from './note/strings.js';
import { CallEnd, type CallNameplate } from './note/call-record.js';
import { buildCallRecord, callEndOf, type CallRecordSources } from './record.js';
import type { NoteOperation, OutboxStatus, TicketFieldsOperation } from './types.js';

/** A side that vanished mid-call gets this long to come back before the call counts as over. */
export const VANISH_GRACE_MS = 2 * 60_000;

export function callNoteKey(sessionId: string): string {
  return `call-note:${sessionId}`;
}

export function ticketFieldsKey(sessionId: string): string {
  return `ticket-fields:${sessionId}`;
}

/**
 * What the ticket's fields get from the call's plates: a ticket has one serial-number field, so
 * each field takes the value of the latest plate that has one (a plate without a date does not
 * clear the date an earlier plate gave). null when no plate has any value.
 */
export function ticketFieldValues(plates: readonly CallNameplate[]): NameplateValues | null {
  const values: NameplateValues = {};
  for (const plate of plates) {
    if (plate.model) values.model = plate.model;
    if (plate.serial) values.serial = plate.serial;
    if (plate.date) values.date = plate.date;
  }
  return Object.keys(values).length > 0 ? values : null;
}

interface CallRow {
  session_id: string;
  customer_joined_at: number | null;
  call_started_at: number | null;
  vanished_role: Role | null;
  vanished_at: number | null;
  ended_at: number | null;
  end_kind: CallEnd | null;
  enqueued_at: number | null;
}

interface CallTables {
  writeback_calls: CallRow;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending grace period must not keep a finished process (or test) alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CallNotesDeps {
  database: Database;
  outbox: {
    enqueue(op: NoteOperation): Promise<boolean>;
    status(opKey: string): Promise<OutboxStatus | null>;
    /** Absent: the relay writes no ticket fields (the nameplates are still in the note). */
    enqueueTicketFields?(op: TicketFieldsOperation): Promise<boolean>;
  };
  sources: CallRecordSources;
  /** Chat transcripts too long for a note are written here (`writeback/<sessionId>/`) before upload. */
  blobs: Pick<BlobStore, 'put'>;
  /** Ends a session whose side vanished (storage, live room and session events). */
  endSession(sessionId: string, reason: 'ended-by-specialist' | 'ended-by-customer', at: number): Promise<void>;
  now?: () => number;
  timers?: Timers;
  vanishGraceMs?: number;
  log?: Logger;
}

interface Live {
  connected: Set<Role>;
  timer: unknown;
}

/**
 * Decides when a call is over and enqueues its one internal note (`call-note:<sessionId>`):
 * when the session ends, or when a side has been gone for the grace period (then it also ends
 * the session, so nothing after the note goes unrecorded). What it observes is kept in the
 * database, so a restarted relay still writes the note.
 */
export class CallNotes {
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly graceMs: number;
  private readonly live = new Map<string, Live>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly db: Kysely<CallTables>;
  /** Presence changes of a session are written in the order they happened. */
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly d: CallNotesDeps) {
    this.now = d.now ?? Date.now;
    this.timers = d.timers ?? realTimers;
    this.graceMs = d.vanishGraceMs ?? VANISH_GRACE_MS;
    this.db = tables<CallTables>(d.database);
  }

  /** Presence hooks for every Room. */
  readonly roomFeature: RoomFeatureFactory<never> = ({ sessionId }): RoomFeature<never> => ({
    frameTypes: [],
    handle() {},
    joined: (role) => this.inOrder(sessionId, () => this.joined(sessionId, role)),
    left: (role) => {
      void this.inOrder(sessionId, () => this.left(sessionId, role));
    },
    ended: () => {
      void this.sessionEnded(sessionId);
    },
  });

  /** Outbox state of the session's note; null before the call ended (or when there was no call). */
  noteStatus(sessionId: string): Promise<OutboxStatus | null> {
    return this.d.outbox.status(callNoteKey(sessionId));
  }

  /** When both sides were first connected, or null. */
  async callStartedAt(sessionId: string): Promise<number | null> {
    return (await this.row(sessionId))?.call_started_at ?? null;
  }

  private row(sessionId: string): Promise<CallRow | undefined> {
    return this.db.selectFrom('writeback_calls').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  }

  private async setVanished(sessionId: string, role: Role, at: number): Promise<void> {
    await this.db
      .updateTable('writeback_calls')
      .set({ vanished_role: role, vanished_at: at })
      .where('session_id', '=', sessionId)
      .execute();
  }

  private async setEnded(sessionId: string, at: number, kind: CallEnd): Promise<void> {
    await this.db
      .updateTable('writeback_calls')
      .set((eb) => ({ ended_at: eb.fn.coalesce('ended_at', eb.val(at)), end_kind: eb.fn.coalesce('end_kind', eb.val(kind)) }))
      .where('session_id', '=', sessionId)
      .execute();
  }

  private inOrder(sessionId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(sessionId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.d.log?.error(`write-back: presence of session ${sessionId} not recorded`, error));
    this.queues.set(sessionId, next);
    void next.finally(() => {
      if (this.queues.get(sessionId) === next) this.queues.delete(sessionId);
    });
    return next;
  }

  /** After a restart: writes notes of calls that ended, restarts grace periods of calls that did not. */
  async resume(): Promise<void> {
    const open = await this.db
      .selectFrom('writeback_calls')
      .selectAll()
      .where('enqueued_at', 'is', null)
      .where('customer_joined_at', 'is not', null)
      .execute();
    for (const row of open) {
      const session = await this.d.sources.sessions.findById(row.session_id);
      if (!session) continue;
      if (session.status === SessionStatus.ended || row.ended_at !== null) {
        await this.sessionEnded(row.session_id);
      } else if (row.call_started_at !== null) {
        // Nobody is connected to a freshly started relay; the clock runs until someone returns.
        const since = row.vanished_at ?? this.now();
        await this.setVanished(row.session_id, row.vanished_role ?? Role.customer, since);
        this.arm(row.session_id, since);
      }
    }
  }

  /** Idempotent: the session is over, write its note (once). */
  sessionEnded(sessionId: string): Promise<void> {
    const running = this.inFlight.get(sessionId);
    if (running) return running;
    const work = this.writeNote(sessionId)
      .catch((error: unknown) => this.d.log?.error(`write-back: note for session ${sessionId} not enqueued`, error))
      .finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, work);
    return work;
  }

  /** Waits for notes being prepared; timers stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) this.disarm(live);
    this.live.clear();
    await Promise.all([...this.queues.values(), ...this.inFlight.values()]);
  }

  private liveOf(sessionId: string): Live {
    let live = this.live.get(sessionId);
    if (!live) {
      live = { connected: new Set(), timer: null };
      this.live.set(sessionId, live);
    }
    return live;
  }

  /**
   * Runs on the socket path, so it writes only on a real transition and in one statement: each
   * commit is a disk sync, and a slow one would delay heartbeats of every socket.
   */
  private async joined(sessionId: string, role: Role): Promise<void> {
    const live = this.liveOf(sessionId);
    live.connected.add(role);
    const both = live.connected.size === 2;
    if (both) this.disarm(live);
    const row = await this.row(sessionId);
    const needs =
      !row ||
      (role === Role.customer && row.customer_joined_at === null) ||
      (both && (row.call_started_at === null || row.vanished_at !== null));
    if (!needs) return;
    const now = this.now();
    const customerJoinedAt = role === Role.customer ? now : null;
    const callStartedAt = both ? now : null;
    await this.db
      .insertInto('writeback_calls')
      .values({
        session_id: sessionId,
        customer_joined_at: customerJoinedAt,
        call_started_at: callStartedAt,
        vanished_role: null,
        vanished_at: null,
        ended_at: null,
        end_kind: null,
        enqueued_at: null,
      })
      .onConflict((oc) =>
        oc.column('session_id').doUpdateSet((eb) => ({
          customer_joined_at: eb.fn.coalesce('writeback_calls.customer_joined_at', eb.val(customerJoinedAt)),
          call_started_at: eb.fn.coalesce('writeback_calls.call_started_at', eb.val(callStartedAt)),
          ...(both ? { vanished_role: null, vanished_at: null } : {}),
        })),
      )
      .execute();
  }

  private async left(sessionId: string, role: Role): Promise<void> {
    const live = this.liveOf(sessionId);
    live.connected.delete(role);
    const row = await this.row(sessionId);
    if (!row || row.call_started_at === null || row.ended_at !== null || row.vanished_at !== null) return;
    const now = this.now();
    await this.setVanished(sessionId, role, now);
    this.arm(sessionId, now);
  }

  private arm(sessionId: string, since: number): void {
    if (this.closed) return;
    const live = this.liveOf(sessionId);
    this.disarm(live);
    const wait = Math.max(0, since + this.graceMs - this.now());
    live.timer = this.timers.setTimeout(() => {
      live.timer = null;
      void this.graceOver(sessionId);
    }, wait);
  }

  private disarm(live: Live): void {
    if (live.timer !== null) this.timers.clearTimeout(live.timer);
    live.timer = null;
  }

  private async graceOver(sessionId: string): Promise<void> {
    const row = await this.row(sessionId);
    if (!row || row.vanished_at === null || row.enqueued_at !== null) return;
    const session = await this.d.sources.sessions.findById(sessionId);
    if (!session) return;
    if (session.status === SessionStatus.active) {
      // Whoever is missing now; if both are, the one who went first.
      const connected = this.live.get(sessionId)?.connected ?? new Set<Role>();
      const gone = connected.has(Role.customer)
        ? Role.specialist
        : connected.has(Role.specialist)
          ? Role.customer
          : (row.vanished_role ?? Role.customer);
      const kind = gone === Role.customer ? CallEnd.customerVanished : CallEnd.specialistVanished;
      await this.setEnded(sessionId, row.vanished_at, kind);
      try {
        await this.d.endSession(sessionId, gone === Role.customer ? 'ended-by-customer' : 'ended-by-specialist', this.now());
      } catch (error) {
        this.d.log?.error(`write-back: could not end session ${sessionId} after its ${gone} vanished`, error);
      }
    }
    await this.sessionEnded(sessionId);
  }

  private async writeNote(sessionId: string): Promise<void> {
    const live = this.live.get(sessionId);
    if (live) this.disarm(live);
    this.live.delete(sessionId);

    // Presence changes still being written come first: they decide whether there was a call.
    await this.queues.get(sessionId);
    const row = await this.row(sessionId);
    // No customer ever joined: there was no call to record.
    if (!row || row.customer_joined_at === null || row.enqueued_at !== null) return;
    const session = await this.d.sources.sessions.findById(sessionId);
    if (!session) return;
    const endedAt = row.ended_at ?? session.endedAt ?? this.now();
    const end = row.end_kind ?? callEndOf(session.endReason);
    await this.setEnded(sessionId, endedAt, end);

    const record = await buildCallRecord(this.d.sources, {
      sessionId,
      callStartedAt: row.call_started_at,
      callEndedAt: endedAt,
      end,
    });
    if (!record) return;
    const note = composeCallNote(record);
    const attachments = [...note.attachments];
    if (note.transcript) {
      const blobKey = sessionKey(BlobArea.writeback, sessionId, note.transcript.fileName);
      await this.d.blobs.put(blobKey, Buffer.from(note.transcript.text, 'utf8'));
      // First: the transcript belongs with the note's text when the photos need more comments.
      attachments.unshift({ fileName: note.transcript.fileName, contentType: 'text/plain; charset=utf-8', blobKey });
    }
    const authorId = Number(session.agentId);
    await this.d.outbox.enqueue({
      opKey: callNoteKey(sessionId),
      ticketId: record.ticketId,
      htmlBody: note.html,
      attachments,
      // The ticket shows the agent who ran the call as the note's author, not the API user.
      ...(Number.isSafeInteger(authorId) && authorId > 0 ? { authorId } : {}),
      refusedFilesHeading: NOTE_STRINGS[record.locale].refusedFiles,
      followUpHtml: note.followUpHtml,
    });
    // Queued with the note (a crash in between leaves enqueued_at unset, so both are queued again,
    // idempotently); the outbox writes them once the note is settled.
    const fields = ticketFieldValues(record.nameplates ?? []);
    if (fields && this.d.outbox.enqueueTicketFields) {
      await this.d.outbox.enqueueTicketFields({
        opKey: ticketFieldsKey(sessionId),
        ticketId: record.ticketId,
        follows: callNoteKey(sessionId),
        values: fields,
      });
    }
    await this.db.updateTable('writeback_calls').set({ enqueued_at: this.now() }).where('session_id', '=', sessionId).execute();
    this.d.log?.info(`write-back: note for session ${sessionId} queued for ticket ${record.ticketId}`);
  }
}
