import type Database from 'better-sqlite3';
import type { NoteAttachment, NoteOperation, OutboxStatus } from './types.js';

type Db = Database.Database;

/** Idempotent: safe on every start; the lead may fold it into the relay's numbered migrations. */
export function migrateOutbox(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS writeback_ops (
      op_key TEXT PRIMARY KEY,
      ticket_id INTEGER NOT NULL,
      html_body TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'retrying', 'done', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      transient_failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      note_sent_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      done_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS writeback_ops_due ON writeback_ops (status, next_attempt_at);
    CREATE TABLE IF NOT EXISTS writeback_attachments (
      op_key TEXT NOT NULL REFERENCES writeback_ops (op_key) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      file_name TEXT NOT NULL,
      content_type TEXT NOT NULL,
      file_path TEXT NOT NULL,
      upload_token TEXT,
      uploaded_at INTEGER,
      PRIMARY KEY (op_key, position)
    );
  `);
  addColumn(db, 'writeback_ops', 'author_id', 'INTEGER');
  addColumn(db, 'writeback_ops', 'refused_heading', 'TEXT');
  addColumn(db, 'writeback_attachments', 'refused_at', 'INTEGER');
  // The body of the follow-up comments that carry files the helpdesk would not take in one comment.
  addColumn(db, 'writeback_ops', 'follow_up_html', 'TEXT');
  // A follow-up waits for the note it continues, so the note's text comes first on the ticket.
  addColumn(db, 'writeback_ops', 'follows', 'TEXT');
}

/** Columns added after the first release: existing databases gain them on start. */
function addColumn(db: Db, table: string, column: string, type: string): void {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

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
  ticket_id: number;
  html_body: string;
  author_id: number | null;
  refused_heading: string | null;
  follow_up_html: string | null;
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
  position: number;
  file_name: string;
  content_type: string;
  file_path: string;
  upload_token: string | null;
  uploaded_at: number | null;
  refused_at: number | null;
}

/** An operation that continues another runs once that one is settled (written or given up). */
const READY = `(o.follows IS NULL OR NOT EXISTS (SELECT 1 FROM writeback_ops AS f
  WHERE f.op_key = o.follows AND f.status IN ('pending', 'retrying')))`;

function prepareStatements(db: Db) {
  return {
    insertOp: db.prepare(`INSERT OR IGNORE INTO writeback_ops
      (op_key, ticket_id, html_body, author_id, refused_heading, follow_up_html, follows, status, next_attempt_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`),
    insertAttachment: db.prepare(`INSERT INTO writeback_attachments
      (op_key, position, file_name, content_type, file_path) VALUES (?, ?, ?, ?, ?)`),
    byKey: db.prepare('SELECT * FROM writeback_ops WHERE op_key = ?'),
    attachments: db.prepare(
      'SELECT position, file_name, content_type, file_path, upload_token, uploaded_at, refused_at FROM writeback_attachments WHERE op_key = ? ORDER BY position',
    ),
    nextDue: db.prepare(`SELECT op_key FROM writeback_ops AS o
      WHERE status IN ('pending', 'retrying') AND next_attempt_at <= ? AND ${READY}
      ORDER BY next_attempt_at, created_at LIMIT 1`),
    earliest: db.prepare(`SELECT MIN(next_attempt_at) AS at FROM writeback_ops AS o WHERE status IN ('pending', 'retrying') AND ${READY}`),
    beginAttempt: db.prepare('UPDATE writeback_ops SET attempts = attempts + 1, updated_at = ? WHERE op_key = ?'),
    saveToken: db.prepare('UPDATE writeback_attachments SET upload_token = ?, uploaded_at = ? WHERE op_key = ? AND position = ?'),
    refuse: db.prepare('UPDATE writeback_attachments SET refused_at = ? WHERE op_key = ? AND position = ?'),
    setNoteSent: db.prepare('UPDATE writeback_ops SET note_sent_at = ?, updated_at = ? WHERE op_key = ?'),
    done: db.prepare(`UPDATE writeback_ops SET status = 'done', done_at = ?, updated_at = ?, last_error = NULL WHERE op_key = ?`),
    retry: db.prepare(`UPDATE writeback_ops SET status = 'retrying', next_attempt_at = ?, last_error = ?,
      transient_failures = transient_failures + ?, updated_at = ? WHERE op_key = ?`),
    fail: db.prepare(`UPDATE writeback_ops SET status = 'failed', last_error = ?,
      transient_failures = transient_failures + ?, updated_at = ? WHERE op_key = ?`),
    requeue: db.prepare(`UPDATE writeback_ops SET status = 'pending', next_attempt_at = ?, transient_failures = 0,
      updated_at = ? WHERE op_key = ? AND status = 'failed'`),
    failed: db.prepare(`SELECT op_key FROM writeback_ops WHERE status = 'failed' ORDER BY updated_at`),
    partsOf: db.prepare(`SELECT COUNT(*) AS n FROM writeback_ops WHERE op_key LIKE ? ESCAPE '\\'`),
    moveAttachment: db.prepare('UPDATE writeback_attachments SET op_key = ?, position = ? WHERE op_key = ? AND position = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** Outbox rows in SQLite: every state change is committed before the runner acts on it. */
export class OutboxStore {
  private readonly q: Statements;
  private readonly insertOp: (op: NoteOperation, now: number) => boolean;
  private readonly splitOp: (opKey: string, keep: number, now: number) => string | null;

  constructor(db: Db) {
    migrateOutbox(db);
    this.q = prepareStatements(db);
    this.insertOp = db.transaction((op: NoteOperation, now: number): boolean => {
      const inserted =
        this.q.insertOp.run(
          op.opKey,
          op.ticketId,
          op.htmlBody,
          op.authorId ?? null,
          op.refusedFilesHeading ?? null,
          op.followUpHtml ?? null,
          null,
          now,
          now,
          now,
        ).changes > 0;
      if (!inserted) return false;
      op.attachments.forEach((a, i) => this.q.insertAttachment.run(op.opKey, i, a.fileName, a.contentType, a.filePath));
      return true;
    });
    this.splitOp = db.transaction((opKey: string, keep: number, now: number): string | null => {
      const op = this.get(opKey);
      if (!op || op.attachments.length <= keep) return null;
      const root = rootKeyOf(opKey);
      const like = `${root.replace(/[\\%_]/g, (c) => `\\${c}`)}${PART}%`;
      const part = (this.q.partsOf.get(like) as { n: number }).n + 2;
      const partKey = `${root}${PART}${part}`;
      const body = op.followUpHtml ?? op.htmlBody;
      // A follow-up has the note's author, and names the files the helpdesk refuses as the note does.
      this.q.insertOp.run(partKey, op.ticketId, body, op.authorId, op.refusedHeading, body, root, now, now, now);
      op.attachments.slice(keep).forEach((a, i) => this.q.moveAttachment.run(partKey, i, opKey, a.position));
      return partKey;
    });
  }

  /**
   * Moves the attachments after the first `keep` of an operation into a new follow-up operation
   * (`<root>:part-<n>`) that writes them in a comment of their own; null when nothing moves.
   * One transaction, so a crash leaves every file in exactly one operation.
   */
  split(opKey: string, keep: number, now: number): string | null {
    return this.splitOp(opKey, keep, now);
  }

  /** False when an operation with this key already exists (whatever its state). */
  enqueue(op: NoteOperation, now: number): boolean {
    return this.insertOp(op, now);
  }

  get(opKey: string): StoredOperation | null {
    const row = this.q.byKey.get(opKey) as OpRow | undefined;
    if (!row) return null;
    const attachments = (this.q.attachments.all(opKey) as AttachmentRow[]).map((a) => ({
      position: a.position,
      fileName: a.file_name,
      contentType: a.content_type,
      filePath: a.file_path,
      uploadToken: a.upload_token,
      uploadedAt: a.uploaded_at,
      refusedAt: a.refused_at,
    }));
    return {
      opKey: row.op_key,
      ticketId: row.ticket_id,
      htmlBody: row.html_body,
      authorId: row.author_id,
      refusedHeading: row.refused_heading,
      followUpHtml: row.follow_up_html,
      status: row.status,
      attempts: row.attempts,
      transientFailures: row.transient_failures,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      noteSentAt: row.note_sent_at,
      createdAt: row.created_at,
      doneAt: row.done_at,
      attachments,
    };
  }

  nextDue(now: number): StoredOperation | null {
    const row = this.q.nextDue.get(now) as { op_key: string } | undefined;
    return row ? this.get(row.op_key) : null;
  }

  /** When the next pending or retrying operation becomes due, or null when none waits. */
  earliestDue(): number | null {
    return (this.q.earliest.get() as { at: number | null }).at;
  }

  beginAttempt(opKey: string, now: number): void {
    this.q.beginAttempt.run(now, opKey);
  }

  saveUploadToken(opKey: string, position: number, token: string, now: number): void {
    this.q.saveToken.run(token, now, opKey, position);
  }

  refuseAttachment(opKey: string, position: number, now: number): void {
    this.q.refuse.run(now, opKey, position);
  }

  setNoteSent(opKey: string, at: number | null, now: number): void {
    this.q.setNoteSent.run(at, now, opKey);
  }

  markDone(opKey: string, now: number): void {
    this.q.done.run(now, now, opKey);
  }

  markRetry(opKey: string, nextAttemptAt: number, error: string, countsAsFailure: boolean, now: number): void {
    this.q.retry.run(nextAttemptAt, error, countsAsFailure ? 1 : 0, now, opKey);
  }

  markFailed(opKey: string, error: string, countsAsFailure: boolean, now: number): void {
    this.q.fail.run(error, countsAsFailure ? 1 : 0, now, opKey);
  }

  /** Operator action: a failed operation is tried again (the marker check still guards it). */
  requeue(opKey: string, now: number): boolean {
    return this.q.requeue.run(now, now, opKey).changes > 0;
  }

  failedKeys(): string[] {
    return (this.q.failed.all() as { op_key: string }[]).map((r) => r.op_key);
  }
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
