import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Role, SessionStatus } from '@live-assist/protocol';
import type { Logger } from '../logger.js';
import type { RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';
import { composeCallNote } from './note/compose.js';
import { NOTE_STRINGS } from './note/strings.js';
import { CallEnd } from './note/call-record.js';
import { buildCallRecord, callEndOf, type CallRecordSources } from './record.js';
import type { NoteOperation, OutboxStatus } from './types.js';

type Db = Database.Database;

/** A side that vanished mid-call gets this long to come back before the call counts as over. */
export const VANISH_GRACE_MS = 2 * 60_000;

export function callNoteKey(sessionId: string): string {
  return `call-note:${sessionId}`;
}

export function migrateCallNotes(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS writeback_calls (
      session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      customer_joined_at INTEGER,
      call_started_at INTEGER,
      vanished_role TEXT,
      vanished_at INTEGER,
      ended_at INTEGER,
      end_kind TEXT,
      enqueued_at INTEGER
    );
  `);
}

function statements(db: Db) {
  return {
    get: db.prepare('SELECT * FROM writeback_calls WHERE session_id = ?'),
    joined: db.prepare(`INSERT INTO writeback_calls (session_id, customer_joined_at, call_started_at)
      VALUES (@sessionId, @customerJoinedAt, @callStartedAt)
      ON CONFLICT (session_id) DO UPDATE SET
        customer_joined_at = COALESCE(customer_joined_at, excluded.customer_joined_at),
        call_started_at = COALESCE(call_started_at, excluded.call_started_at),
        vanished_role = CASE WHEN @clearVanished = 1 THEN NULL ELSE vanished_role END,
        vanished_at = CASE WHEN @clearVanished = 1 THEN NULL ELSE vanished_at END`),
    vanished: db.prepare('UPDATE writeback_calls SET vanished_role = ?, vanished_at = ? WHERE session_id = ?'),
    ended: db.prepare('UPDATE writeback_calls SET ended_at = COALESCE(ended_at, ?), end_kind = COALESCE(end_kind, ?) WHERE session_id = ?'),
    enqueued: db.prepare('UPDATE writeback_calls SET enqueued_at = ? WHERE session_id = ?'),
    open: db.prepare('SELECT * FROM writeback_calls WHERE enqueued_at IS NULL AND customer_joined_at IS NOT NULL'),
  };
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
  db: Db;
  outbox: { enqueue(op: NoteOperation): boolean; status(opKey: string): OutboxStatus | null };
  sources: CallRecordSources;
  /** Where chat transcripts too long for a note are written before upload. */
  filesDir: string;
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
 * the session, so nothing after the note goes unrecorded). What it observes is kept in SQLite,
 * so a restarted relay still writes the note.
 */
export class CallNotes {
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly graceMs: number;
  private readonly live = new Map<string, Live>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly q: ReturnType<typeof statements>;
  private closed = false;

  constructor(private readonly d: CallNotesDeps) {
    this.now = d.now ?? Date.now;
    this.timers = d.timers ?? realTimers;
    this.graceMs = d.vanishGraceMs ?? VANISH_GRACE_MS;
    migrateCallNotes(d.db);
    this.q = statements(d.db);
  }

  /** Presence hooks for every Room. */
  readonly roomFeature: RoomFeatureFactory = ({ sessionId }): RoomFeature => ({
    frameTypes: [],
    handle() {},
    joined: (role) => this.joined(sessionId, role),
    left: (role) => this.left(sessionId, role),
    ended: () => {
      void this.sessionEnded(sessionId);
    },
  });

  /** Outbox state of the session's note; null before the call ended (or when there was no call). */
  noteStatus(sessionId: string): OutboxStatus | null {
    return this.d.outbox.status(callNoteKey(sessionId));
  }

  /** When both sides were first connected, or null. */
  callStartedAt(sessionId: string): number | null {
    return (this.q.get.get(sessionId) as CallRow | undefined)?.call_started_at ?? null;
  }

  /** After a restart: writes notes of calls that ended, restarts grace periods of calls that did not. */
  async resume(): Promise<void> {
    for (const row of this.q.open.all() as CallRow[]) {
      const session = await this.d.sources.sessions.findById(row.session_id);
      if (!session) continue;
      if (session.status === SessionStatus.ended || row.ended_at !== null) {
        await this.sessionEnded(row.session_id);
      } else if (row.call_started_at !== null) {
        // Nobody is connected to a freshly started relay; the clock runs until someone returns.
        const since = row.vanished_at ?? this.now();
        this.q.vanished.run(row.vanished_role ?? Role.customer, since, row.session_id);
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
    await Promise.all([...this.inFlight.values()]);
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
  private joined(sessionId: string, role: Role): void {
    const live = this.liveOf(sessionId);
    live.connected.add(role);
    const both = live.connected.size === 2;
    if (both) this.disarm(live);
    const row = this.q.get.get(sessionId) as CallRow | undefined;
    const needs =
      !row ||
      (role === Role.customer && row.customer_joined_at === null) ||
      (both && (row.call_started_at === null || row.vanished_at !== null));
    if (!needs) return;
    const now = this.now();
    this.q.joined.run({
      sessionId,
      customerJoinedAt: role === Role.customer ? now : null,
      callStartedAt: both ? now : null,
      clearVanished: both ? 1 : 0,
    });
  }

  private left(sessionId: string, role: Role): void {
    const live = this.liveOf(sessionId);
    live.connected.delete(role);
    const row = this.q.get.get(sessionId) as CallRow | undefined;
    if (!row || row.call_started_at === null || row.ended_at !== null || row.vanished_at !== null) return;
    const now = this.now();
    this.q.vanished.run(role, now, sessionId);
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
    const row = this.q.get.get(sessionId) as CallRow | undefined;
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
      this.q.ended.run(row.vanished_at, kind, sessionId);
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

    const row = this.q.get.get(sessionId) as CallRow | undefined;
    // No customer ever joined: there was no call to record.
    if (!row || row.customer_joined_at === null || row.enqueued_at !== null) return;
    const session = await this.d.sources.sessions.findById(sessionId);
    if (!session) return;
    const endedAt = row.ended_at ?? session.endedAt ?? this.now();
    const end = row.end_kind ?? callEndOf(session.endReason);
    this.q.ended.run(endedAt, end, sessionId);

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
      const dir = join(this.d.filesDir, sessionId);
      await mkdir(dir, { recursive: true });
      const filePath = join(dir, note.transcript.fileName);
      await writeFile(filePath, note.transcript.text, 'utf8');
      // First: the transcript belongs with the note's text when the photos need more comments.
      attachments.unshift({ fileName: note.transcript.fileName, contentType: 'text/plain; charset=utf-8', filePath });
    }
    const authorId = Number(session.agentId);
    this.d.outbox.enqueue({
      opKey: callNoteKey(sessionId),
      ticketId: record.ticketId,
      htmlBody: note.html,
      attachments,
      // The ticket shows the agent who ran the call as the note's author, not the API user.
      ...(Number.isSafeInteger(authorId) && authorId > 0 ? { authorId } : {}),
      refusedFilesHeading: NOTE_STRINGS[record.locale].refusedFiles,
      followUpHtml: note.followUpHtml,
    });
    this.q.enqueued.run(this.now(), sessionId);
    this.d.log?.info(`write-back: note for session ${sessionId} queued for ticket ${record.ticketId}`);
  }
}
