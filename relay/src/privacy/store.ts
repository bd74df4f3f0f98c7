import type Database from 'better-sqlite3';
import { migrateCallNotes, callNoteKey } from '../writeback/call-notes.js';
import { migrateOutbox } from '../writeback/store.js';
import type { AuditEntry, NewAuditEntry, PrivacyRepository, SessionRef } from './types.js';

type Db = Database.Database;

/**
 * Idempotent: the capability owns its tables (docs/contract.md "Feature extension points").
 * `privacy_purges` marks a session whose personal data is gone (only the minimal record is left);
 * `audit_log` says who did what to which session, and is kept as long as the consent record.
 */
export function migratePrivacy(db: Db): void {
  // The sweep reads the note's state; these tables exist even on a relay without the write-back.
  migrateOutbox(db);
  migrateCallNotes(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS privacy_purges (
      session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      purged_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent', 'customer', 'admin', 'system')),
      actor_id TEXT NOT NULL,
      action TEXT NOT NULL,
      account TEXT,
      ticket_id INTEGER,
      session_id TEXT,
      detail TEXT
    );
    CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at);
    CREATE INDEX IF NOT EXISTS audit_log_by_ticket ON audit_log (ticket_id, at);
  `);
}

/**
 * A session's personal data may go once the session ended and its note is settled: written
 * (`done`) or given up (`failed`), or no note will ever come because the customer never joined.
 * A call whose note is still being prepared (`writeback_calls.enqueued_at IS NULL` after the
 * customer joined) or is pending/retrying is never touched. `:cutoff` is now − RETENTION_DAYS.
 */
const PURGEABLE = `
  s.status = 'ended' AND s.ended_at <= @cutoff
  AND NOT EXISTS (SELECT 1 FROM privacy_purges p WHERE p.session_id = s.id)
  AND (
    EXISTS (SELECT 1 FROM writeback_ops o WHERE o.op_key = 'call-note:' || s.id
            AND o.status IN ('done', 'failed') AND COALESCE(o.done_at, o.updated_at) <= @cutoff)
    OR (
      NOT EXISTS (SELECT 1 FROM writeback_ops o WHERE o.op_key = 'call-note:' || s.id)
      AND NOT EXISTS (SELECT 1 FROM writeback_calls c WHERE c.session_id = s.id AND c.customer_joined_at IS NOT NULL)
    )
  )`;

interface AuditRow {
  id: number;
  at: number;
  actor_kind: AuditEntry['actorKind'];
  actor_id: string;
  action: string;
  account: string | null;
  ticket_id: number | null;
  session_id: string | null;
  detail: string | null;
}

const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  action: r.action,
  account: r.account,
  ticketId: r.ticket_id,
  sessionId: r.session_id,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});

export function sqlitePrivacyRepository(db: Db): PrivacyRepository {
  migratePrivacy(db);
  const q = {
    audit: db.prepare(`INSERT INTO audit_log (at, actor_kind, actor_id, action, account, ticket_id, session_id, detail)
      VALUES (@at, @actorKind, @actorId, @action, @account, @ticketId, @sessionId, @detail)`),
    auditForTicket: db.prepare('SELECT * FROM audit_log WHERE ticket_id = ? ORDER BY at, id'),
    pruneAudit: db.prepare('DELETE FROM audit_log WHERE at <= ?'),
    purgeable: db.prepare(`SELECT s.id FROM sessions s WHERE ${PURGEABLE} ORDER BY s.ended_at LIMIT @limit`),
    stillPurgeable: db.prepare(`SELECT 1 FROM sessions s WHERE s.id = @id AND ${PURGEABLE}`),
    markPurged: db.prepare('INSERT OR IGNORE INTO privacy_purges (session_id, purged_at) VALUES (?, ?)'),
    expirable: db.prepare(`SELECT s.id FROM sessions s JOIN privacy_purges p ON p.session_id = s.id
      WHERE s.ended_at <= ? ORDER BY s.ended_at LIMIT ?`),
    sessionsForTicket: db.prepare('SELECT id, account, ticket_id, status FROM sessions WHERE ticket_id = ? ORDER BY created_at, rowid'),
    sessionsForRequester: db.prepare(
      'SELECT id, account, ticket_id, status FROM sessions WHERE requester_email = ? ORDER BY created_at, rowid',
    ),
    endSession: db.prepare(`UPDATE sessions SET status = 'ended', ended_at = ?, end_reason = 'expired' WHERE id = ? AND status = 'active'`),
    // What holds personal data of a session (customer and agent content, not the consent record).
    deleteUploads: db.prepare('DELETE FROM uploads WHERE session_id = ?'),
    deleteChat: db.prepare('DELETE FROM chat_messages WHERE session_id = ?'),
    deleteLocation: db.prepare('DELETE FROM journey_locations WHERE session_id = ?'),
    deleteMarks: db.prepare('DELETE FROM annotation_state WHERE session_id = ?'),
    deleteTokens: db.prepare('DELETE FROM participant_tokens WHERE session_id = ?'),
    deleteObserverTokens: db.prepare('DELETE FROM observer_tokens WHERE session_id = ?'),
    deleteNoteFiles: db.prepare('DELETE FROM writeback_attachments WHERE op_key = ?'),
    // The note's text quotes the chat and the location: only its state and times stay.
    blankNote: db.prepare(`UPDATE writeback_ops SET html_body = '', last_error = NULL WHERE op_key = ?`),
    minimalConsent: db.prepare('UPDATE journey_consents SET user_agent = NULL WHERE session_id = ?'),
    note: db.prepare('SELECT status, html_body, created_at, done_at FROM writeback_ops WHERE op_key = ?'),
    deleteNote: db.prepare('DELETE FROM writeback_ops WHERE op_key = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
  };

  const deletePersonal = (sessionId: string): void => {
    q.deleteUploads.run(sessionId);
    q.deleteChat.run(sessionId);
    q.deleteLocation.run(sessionId);
    q.deleteMarks.run(sessionId);
    q.deleteTokens.run(sessionId);
    q.deleteObserverTokens.run(sessionId);
    q.deleteNoteFiles.run(callNoteKey(sessionId));
    q.blankNote.run(callNoteKey(sessionId));
    q.minimalConsent.run(sessionId);
  };

  // One transaction each, re-checking the condition inside it: two relays sweeping at once both
  // run it, the second finds nothing left to do.
  const purge = db.transaction((sessionId: string, cutoff: number, now: number): boolean => {
    if (!q.stillPurgeable.get({ id: sessionId, cutoff })) return false;
    deletePersonal(sessionId);
    return q.markPurged.run(sessionId, now).changes === 1;
  });

  const deleteAll = (sessionId: string): void => {
    deletePersonal(sessionId);
    q.deleteNote.run(callNoteKey(sessionId));
    q.deleteSession.run(sessionId);
  };

  // The session row cascades to consents, purge mark and call timing; the rest has no FK.
  const expire = db.transaction((sessionId: string): boolean => {
    const existed = q.deleteSession.run(sessionId).changes === 1;
    deleteAll(sessionId);
    return existed;
  });

  const erase = db.transaction((sessionId: string, now: number, audit: NewAuditEntry | null): void => {
    q.endSession.run(now, sessionId);
    deleteAll(sessionId);
    if (audit) q.audit.run({ ...audit, detail: audit.detail ? JSON.stringify(audit.detail) : null });
  });

  return {
    async appendAudit(entry) {
      q.audit.run({ ...entry, detail: entry.detail ? JSON.stringify(entry.detail) : null });
    },
    async auditForTicket(ticketId) {
      return (q.auditForTicket.all(ticketId) as AuditRow[]).map(toAudit);
    },
    async pruneAudit(cutoff) {
      return q.pruneAudit.run(cutoff).changes;
    },
    async purgeableSessions(cutoff, limit) {
      return (q.purgeable.all({ cutoff, limit }) as { id: string }[]).map((r) => r.id);
    },
    async purgeSession(sessionId, cutoff, now) {
      return purge(sessionId, cutoff, now);
    },
    async expirableSessions(cutoff, limit) {
      return (q.expirable.all(cutoff, limit) as { id: string }[]).map((r) => r.id);
    },
    async expireSession(sessionId) {
      return expire(sessionId);
    },
    async sessionsForTicket(ticketId) {
      return (q.sessionsForTicket.all(ticketId) as { id: string; account: string; ticket_id: number; status: SessionRef['status'] }[]).map(
        (r) => ({ id: r.id, account: r.account, ticketId: r.ticket_id, status: r.status }),
      );
    },
    async sessionsForRequester(emailKey) {
      return (
        q.sessionsForRequester.all(emailKey) as { id: string; account: string; ticket_id: number; status: SessionRef['status'] }[]
      ).map((r) => ({ id: r.id, account: r.account, ticketId: r.ticket_id, status: r.status }));
    },
    async noteForSession(sessionId) {
      const row = q.note.get(callNoteKey(sessionId)) as
        { status: string; html_body: string; created_at: number; done_at: number | null } | undefined;
      return row ? { status: row.status, htmlBody: row.html_body, createdAt: row.created_at, doneAt: row.done_at } : null;
    },
    async eraseSession(sessionId, now, audit) {
      erase(sessionId, now, audit);
    },
  };
}
