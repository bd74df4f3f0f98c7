import { sql, type Kysely } from 'kysely';
import { Engine, tables, type Database } from '../db/database.js';
import { NameplateValuesSchema, type NameplateValues } from '@live-assist/protocol';
import type { NoteAttachment, NoteOperation, OutboxStatus, TicketFieldsOperation } from './types.js';

export interface StoredAttachment extends NoteAttachment {
  position: number;
  uploadToken: string | null;
  uploadedAt: number | null;
  /** When the helpdesk refused the file for good; the note is written without it. */
  refusedAt: number | null;
}

export interface StoredOperation {
  opKey: string;
  ticketId: number;
  htmlBody: string;
  authorId: number | null;
  refusedHeading: string | null;
  followUpHtml: string | null;
  /** Set on a ticket-fields operation (it writes no note); null on a note. */
  ticketFields: NameplateValues | null;
  status: OutboxStatus['state'];
  attempts: number;
  transientFailures: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Set just before the note request is sent: a retry must first look for the note. */
  noteSentAt: number | null;
  /** When the note was queued: no comment older than this can be it. */
  createdAt: number;
  doneAt: number | null;
  attachments: StoredAttachment[];
}

interface OpRow {
  op_key: string;
  follows: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  updated_at: number;
  ticket_id: number;
  html_body: string;
  author_id: number | null;
  refused_heading: string | null;
  follow_up_html: string | null;
  ticket_fields: string | null;
  status: OutboxStatus['state'];
  attempts: number;
  transient_failures: number;
  next_attempt_at: number;
  last_error: string | null;
  note_sent_at: number | null;
  created_at: number;
  done_at: number | null;
}

interface AttachmentRow {
  op_key: string;
  position: number;
  file_name: string;
  content_type: string;
  blob_key: string;
  upload_token: string | null;
  uploaded_at: number | null;
  refused_at: number | null;
}

interface WritebackTables {
  writeback_ops: OpRow;
  writeback_attachments: AttachmentRow;
}

/** An operation that continues another runs once that one is settled (written or given up). */
const READY = sql<boolean>`(o.follows IS NULL OR NOT EXISTS (SELECT 1 FROM writeback_ops AS f
  WHERE f.op_key = o.follows AND f.status IN ('pending', 'retrying')))`;

/**
 * Due and not held by a live lease of another relay. A relay restarted under its old name takes
 * its own leases back at once: the process that held them is gone.
 */
const dueFor = (owner: string, now: number) => sql<boolean>`o.status IN ('pending', 'retrying') AND o.next_attempt_at <= ${now}
  AND (o.lease_until IS NULL OR o.lease_until <= ${now} OR o.lease_owner = ${owner}) AND ${READY}`;

/** Thrown when a relay lost an operation's lease to another: it must not act on the row any more. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

/**
 * Outbox rows: every state change is committed before the runner acts on it. Several relays may
 * work one database: an operation is claimed with a lease, and the steps that lead to a helpdesk
 * write check that the lease is still theirs.
 */
export class OutboxStore {
  private readonly db: Kysely<WritebackTables>;

  constructor(
    private readonly database: Database,
    /** Who this relay is, in lease columns. */
    private readonly owner: string,
    /** How long a claim holds before another relay may take the operation over. */
    private readonly leaseMs: number,
  ) {
    this.db = tables<WritebackTables>(database);
  }

  /** False when an operation with this key already exists (whatever its state). */
  async enqueue(op: NoteOperation, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('writeback_ops')
        .values(
          opRow(
            op.opKey,
            op.ticketId,
            op.htmlBody,
            op.authorId ?? null,
            op.refusedFilesHeading ?? null,
            op.followUpHtml ?? null,
            null,
            now,
          ),
        )
        .onConflict((oc) => oc.column('op_key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      if (op.attachments.length > 0) {
        await trx
          .insertInto('writeback_attachments')
          .values(op.attachments.map((a, i) => attachmentRow(op.opKey, i, a)))
          .execute();
      }
      return true;
    });
  }

  /** Queues the ticket fields after their note; false when that operation exists already. */
  async enqueueTicketFields(op: TicketFieldsOperation, now: number): Promise<boolean> {
    const row = { ...opRow(op.opKey, op.ticketId, '', null, null, null, op.follows, now), ticket_fields: JSON.stringify(op.values) };
    const inserted = await this.db
      .insertInto('writeback_ops')
      .values(row)
      .onConflict((oc) => oc.column('op_key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Moves the attachments after the first `keep` of an operation into a new follow-up operation
   * (`<root>:part-<n>`) that writes them in a comment of their own; null when nothing moves.
   * One transaction, so a crash leaves every file in exactly one operation.
   */
  async split(opKey: string, keep: number, now: number): Promise<string | null> {
    return this.db.transaction().execute(async (trx) => {
      const op = await this.read(trx, opKey);
      if (!op || op.attachments.length <= keep) return null;
      const root = rootKeyOf(opKey);
      const like = `${root.replace(/[\\%_]/g, (c) => `\\${c}`)}${PART}%`;
      const parts = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM writeback_ops WHERE op_key LIKE ${like} ESCAPE '\\'`.execute(trx);
      const partKey = `${root}${PART}${Number(parts.rows[0]?.n ?? 0) + 2}`;
      const body = op.followUpHtml ?? op.htmlBody;
      // A follow-up has the note's author, and names the files the helpdesk refuses as the note does.
      await trx
        .insertInto('writeback_ops')
        .values(opRow(partKey, op.ticketId, body, op.authorId, op.refusedHeading, body, root, now))
        .execute();
      let i = 0;
      for (const a of op.attachments.slice(keep)) {
        await trx
          .updateTable('writeback_attachments')
          .set({ op_key: partKey, position: i++ })
          .where('op_key', '=', opKey)
          .where('position', '=', a.position)
          .execute();
      }
      return partKey;
    });
  }

  get(opKey: string): Promise<StoredOperation | null> {
    return this.read(this.db, opKey);
  }

  private async read(db: Kysely<WritebackTables>, opKey: string): Promise<StoredOperation | null> {
    const row = await db.selectFrom('writeback_ops').selectAll().where('op_key', '=', opKey).executeTakeFirst();
    if (!row) return null;
    const attachments = await db.selectFrom('writeback_attachments').selectAll().where('op_key', '=', opKey).orderBy('position').execute();
    return toOperation(row, attachments);
  }

  /**
   * Takes the next due operation for this relay, in one statement: two relays asking at once
   * get different operations (PostgreSQL skips rows another transaction holds; SQLite has one writer).
   */
  async claimNext(now: number): Promise<StoredOperation | null> {
    const skipLocked = this.database.engine === Engine.postgres ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const claimed = await sql<{ op_key: string }>`UPDATE writeback_ops SET lease_owner = ${this.owner}, lease_until = ${now + this.leaseMs}
      WHERE op_key = (SELECT o.op_key FROM writeback_ops AS o WHERE ${dueFor(this.owner, now)}
        ORDER BY o.next_attempt_at, o.created_at LIMIT 1 ${skipLocked})
      RETURNING op_key`.execute(this.db);
    const key = claimed.rows[0]?.op_key;
    return key ? this.get(key) : null;
  }

  /** How many operations wait, by state (the outbox depth metric). */
  async depth(): Promise<{ pending: number; retrying: number }> {
    const rows = await this.db
      .selectFrom('writeback_ops')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('status', 'in', ['pending', 'retrying'])
      .groupBy('status')
      .execute();
    const count = (state: string) => Number(rows.find((r) => r.status === state)?.n ?? 0);
    return { pending: count('pending'), retrying: count('retrying') };
  }

  /** When the next pending or retrying operation becomes due (or its lease runs out), or null when none waits. */
  async earliestDue(): Promise<number | null> {
    const row = await sql<{ at: number | null }>`SELECT MIN(CASE WHEN o.lease_until IS NOT NULL AND o.lease_until > o.next_attempt_at
        THEN o.lease_until ELSE o.next_attempt_at END) AS at
      FROM writeback_ops AS o WHERE o.status IN ('pending', 'retrying') AND ${READY}`.execute(this.db);
    const at = row.rows[0]?.at;
    return at === null || at === undefined ? null : Number(at);
  }

  /** Counts the attempt and renews the lease; throws LeaseLost when another relay holds it. */
  async beginAttempt(opKey: string, now: number): Promise<void> {
    await this.held(opKey, now, { attempts: sql`attempts + 1` });
  }

  async saveUploadToken(opKey: string, position: number, token: string, now: number): Promise<void> {
    await this.held(opKey, now, {});
    await this.db
      .updateTable('writeback_attachments')
      .set({ upload_token: token, uploaded_at: now })
      .where('op_key', '=', opKey)
      .where('position', '=', position)
      .execute();
  }

  async refuseAttachment(opKey: string, position: number, now: number): Promise<void> {
    await this.db
      .updateTable('writeback_attachments')
      .set({ refused_at: now })
      .where('op_key', '=', opKey)
      .where('position', '=', position)
      .execute();
  }

  /** The fence before a helpdesk write: only the lease holder marks "maybe written". */
  async setNoteSent(opKey: string, at: number | null, now: number): Promise<void> {
    await this.held(opKey, now, { note_sent_at: at });
  }

  /** `remark`: kept as the last error of a done operation (a ticket field the helpdesk refused). */
  async markDone(opKey: string, now: number, remark: string | null = null): Promise<void> {
    await this.settle(opKey, { status: 'done', done_at: now, updated_at: now, last_error: remark });
  }

  async markRetry(opKey: string, nextAttemptAt: number, error: string, countsAsFailure: boolean, now: number): Promise<void> {
    await this.settle(opKey, {
      status: 'retrying',
      next_attempt_at: nextAttemptAt,
      last_error: error,
      transient_failures: sql`transient_failures + ${countsAsFailure ? 1 : 0}`,
      updated_at: now,
    });
  }

  async markFailed(opKey: string, error: string, countsAsFailure: boolean, now: number): Promise<void> {
    await this.settle(opKey, {
      status: 'failed',
      last_error: error,
      transient_failures: sql`transient_failures + ${countsAsFailure ? 1 : 0}`,
      updated_at: now,
    });
  }

  /** Gives the operation up without a change (this relay stops); another relay may take it at once. */
  async release(opKey: string): Promise<void> {
    await this.db
      .updateTable('writeback_ops')
      .set({ lease_owner: null, lease_until: null })
      .where('op_key', '=', opKey)
      .where('lease_owner', '=', this.owner)
      .execute();
  }

  /** Operator action: a failed operation is tried again (the marker check still guards it). */
  async requeue(opKey: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('writeback_ops')
      .set({ status: 'pending', next_attempt_at: now, transient_failures: 0, updated_at: now, lease_owner: null, lease_until: null })
      .where('op_key', '=', opKey)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async failedKeys(): Promise<string[]> {
    const rows = await this.db.selectFrom('writeback_ops').select('op_key').where('status', '=', 'failed').orderBy('updated_at').execute();
    return rows.map((r) => r.op_key);
  }

  private async held(opKey: string, now: number, set: Record<string, unknown>): Promise<void> {
    const result = await this.db
      .updateTable('writeback_ops')
      .set({ ...set, lease_until: now + this.leaseMs, updated_at: now })
      .where('op_key', '=', opKey)
      .where('lease_owner', '=', this.owner)
      .where('status', 'in', ['pending', 'retrying'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LeaseLost(`write-back ${opKey}: another relay holds this operation now`);
  }

  /** A settled attempt gives the lease back (only the holder's, so a late relay changes nothing). */
  private async settle(opKey: string, set: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('writeback_ops')
      .set({ ...set, lease_owner: null, lease_until: null })
      .where('op_key', '=', opKey)
      .where('lease_owner', '=', this.owner)
      .execute();
  }
}

function opRow(
  opKey: string,
  ticketId: number,
  htmlBody: string,
  authorId: number | null,
  refusedHeading: string | null,
  followUpHtml: string | null,
  follows: string | null,
  now: number,
): Omit<OpRow, 'attempts' | 'transient_failures'> & { attempts: number; transient_failures: number } {
  return {
    op_key: opKey,
    ticket_id: ticketId,
    html_body: htmlBody,
    author_id: authorId,
    refused_heading: refusedHeading,
    follow_up_html: followUpHtml,
    ticket_fields: null,
    follows,
    status: 'pending',
    attempts: 0,
    transient_failures: 0,
    next_attempt_at: now,
    last_error: null,
    note_sent_at: null,
    lease_owner: null,
    lease_until: null,
    created_at: now,
    updated_at: now,
    done_at: null,
  };
}

function attachmentRow(opKey: string, position: number, a: NoteAttachment): AttachmentRow {
  return {
    op_key: opKey,
    position,
    file_name: a.fileName,
    content_type: a.contentType,
    blob_key: a.blobKey,
    upload_token: null,
    uploaded_at: null,
    refused_at: null,
  };
}

function toOperation(row: OpRow, attachments: AttachmentRow[]): StoredOperation {
  return {
    opKey: row.op_key,
    ticketId: row.ticket_id,
    htmlBody: row.html_body,
    authorId: row.author_id,
    refusedHeading: row.refused_heading,
    followUpHtml: row.follow_up_html,
    ticketFields: ticketFieldsOf(row.ticket_fields),
    status: row.status,
    attempts: row.attempts,
    transientFailures: row.transient_failures,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    noteSentAt: row.note_sent_at,
    createdAt: row.created_at,
    doneAt: row.done_at,
    attachments: attachments.map((a) => ({
      position: a.position,
      fileName: a.file_name,
      contentType: a.content_type,
      blobKey: blobKeyOf(a.blob_key),
      uploadToken: a.upload_token,
      uploadedAt: a.uploaded_at,
      refusedAt: a.refused_at,
    })),
  };
}

/** Stored by this code; a value that no longer parses writes nothing rather than crash the outbox. */
function ticketFieldsOf(json: string | null): NameplateValues | null {
  if (json === null) return null;
  try {
    const parsed = NameplateValuesSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Operations queued before files went behind the blob store name an absolute path under
 * DATA_DIR (`…/uploads/<sessionId>/<file>`); its last three parts are the file's key now.
 */
function blobKeyOf(stored: string): string {
  return stored.startsWith('/') ? stored.split('/').slice(-3).join('/') : stored;
}

const PART = ':part-';

/** `call-note:s1:part-3` → `call-note:s1`. */
export function rootKeyOf(opKey: string): string {
  const at = opKey.lastIndexOf(PART);
  return at > 0 && /^\d+$/.test(opKey.slice(at + PART.length)) ? opKey.slice(0, at) : opKey;
}

/** Whether the operation only carries files that did not fit its note's comment. */
export function isFollowUpPart(opKey: string): boolean {
  return rootKeyOf(opKey) !== opKey;
}

export function toStatus(op: StoredOperation): OutboxStatus {
  switch (op.status) {
    case 'pending':
      return { state: 'pending', attempts: op.attempts };
    case 'retrying':
      return { state: 'retrying', attempts: op.attempts, nextAttemptAt: op.nextAttemptAt, lastError: op.lastError ?? '' };
    case 'done':
      return { state: 'done', attempts: op.attempts, doneAt: op.doneAt ?? 0 };
    case 'failed':
      return { state: 'failed', attempts: op.attempts, lastError: op.lastError ?? '' };
  }
}
