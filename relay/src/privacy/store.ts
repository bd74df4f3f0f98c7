import { sql, type Kysely } from 'kysely';
import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { callNoteKey, ticketFieldsKey } from '../writeback/call-notes.js';
import type { AuditEntry, NewAuditEntry, PrivacyRepository, SessionRef } from './types.js';

/**
 * `privacy_purges` marks a session whose personal data is gone (only the minimal record is left);
 * `audit_log` says who did what to which session, and is kept as long as the consent record.
 */
export const privacySchema: SchemaOwner = {
  name: 'privacy',
  // The sweep reads the note's state and deletes every capability's rows of a session.
  after: ['sessions', 'writeback', 'uploads', 'chat', 'journey', 'annotations', 'delivery'],
  migrations: [
    {
      version: 1,
      name: 'purge marks and the audit log',
      sql: (t) => `
        CREATE TABLE privacy_purges (
          session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
          purged_at BIGINT NOT NULL
        );
        CREATE TABLE audit_log (
          id ${t.serial},
          at BIGINT NOT NULL,
          actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent', 'customer', 'admin', 'system')),
          actor_id TEXT NOT NULL,
          action TEXT NOT NULL,
          account TEXT,
          ticket_id BIGINT,
          session_id TEXT,
          detail TEXT
        );
        CREATE INDEX audit_log_by_time ON audit_log (at);
        CREATE INDEX audit_log_by_ticket ON audit_log (ticket_id, at);
      `,
    },
  ],
};

/**
 * A session's personal data may go once the session ended and its note is settled: written
 * (`done`) or given up (`failed`), or no note will ever come because the customer never joined.
 * A call whose note is still being prepared (`writeback_calls.enqueued_at IS NULL` after the
 * customer joined) or is pending/retrying is never touched. `cutoff` is now − RETENTION_DAYS.
 */
const purgeable = (cutoff: number) => sql<boolean>`
  s.status = 'ended' AND s.ended_at <= ${cutoff}
  AND NOT EXISTS (SELECT 1 FROM privacy_purges p WHERE p.session_id = s.id)
  AND (
    EXISTS (SELECT 1 FROM writeback_ops o WHERE o.op_key = 'call-note:' || s.id
            AND o.status IN ('done', 'failed') AND COALESCE(o.done_at, o.updated_at) <= ${cutoff})
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

// The tables of other capabilities a purge or erasure touches: only their keys matter here.
interface PrivacyTables {
  privacy_purges: { session_id: string; purged_at: number };
  audit_log: Omit<AuditRow, 'id'> & { id?: number };
  sessions: {
    id: string;
    account: string;
    ticket_id: number;
    status: SessionRef['status'];
    created_at: number;
    ended_at: number | null;
    end_reason: string | null;
    requester_email: string | null;
  };
  uploads: { session_id: string; created_at: number; n?: number };
  chat_messages: { session_id: string };
  journey_locations: { session_id: string };
  journey_consents: { session_id: string; user_agent: string | null };
  annotation_state: { session_id: string };
  nameplates: { session_id: string };
  participant_tokens: { session_id: string };
  observer_tokens: { session_id: string };
  invite_sms: { session_id: string };
  writeback_attachments: { op_key: string };
  writeback_ops: {
    op_key: string;
    status: string;
    html_body: string;
    last_error: string | null;
    created_at: number;
    done_at: number | null;
  };
}

type Db = Kysely<PrivacyTables>;

const auditRow = (e: NewAuditEntry) => ({
  at: e.at,
  actor_kind: e.actorKind,
  actor_id: e.actorId,
  action: e.action,
  account: e.account,
  ticket_id: e.ticketId,
  session_id: e.sessionId,
  detail: e.detail ? JSON.stringify(e.detail) : null,
});

/** What holds personal data of a session (customer and agent content, not the consent record). */
async function deletePersonal(db: Db, sessionId: string): Promise<void> {
  for (const table of [
    'uploads',
    'chat_messages',
    'journey_locations',
    'annotation_state',
    // What the specialist read off the customer's pump (the crops go with the uploads).
    'nameplates',
    'participant_tokens',
    'observer_tokens',
    // The masked number and Twilio's message SID, which leads to the full number in Twilio's log.
    'invite_sms',
  ] as const) {
    await db.deleteFrom(table).where('session_id', '=', sessionId).execute();
  }
  await db.deleteFrom('writeback_attachments').where('op_key', '=', callNoteKey(sessionId)).execute();
  // The note's text quotes the chat and the location: only its state and times stay.
  await db.updateTable('writeback_ops').set({ html_body: '', last_error: null }).where('op_key', '=', callNoteKey(sessionId)).execute();
  // The values still to be written to the ticket's fields: erased, they are written no more.
  await db.deleteFrom('writeback_ops').where('op_key', '=', ticketFieldsKey(sessionId)).execute();
  await db.updateTable('journey_consents').set({ user_agent: null }).where('session_id', '=', sessionId).execute();
}

/** The session row cascades to consents, purge mark and call timing; the rest has no FK. */
async function deleteAll(db: Db, sessionId: string): Promise<boolean> {
  await deletePersonal(db, sessionId);
  await db.deleteFrom('writeback_ops').where('op_key', '=', callNoteKey(sessionId)).execute();
  const result = await db.deleteFrom('sessions').where('id', '=', sessionId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

const toRef = (r: { id: string; account: string; ticket_id: number; status: SessionRef['status'] }): SessionRef => ({
  id: r.id,
  account: r.account,
  ticketId: r.ticket_id,
  status: r.status,
});

export function privacyRepository(database: Database): PrivacyRepository {
  const db = tables<PrivacyTables>(database);
  const sessionRefs = (column: 'ticket_id' | 'requester_email', value: number | string) =>
    db
      .selectFrom('sessions')
      .select(['id', 'account', 'ticket_id', 'status'])
      .where(column, '=', value)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  return {
    async appendAudit(entry) {
      await db.insertInto('audit_log').values(auditRow(entry)).execute();
    },
    async auditForTicket(ticketId) {
      const rows = await db.selectFrom('audit_log').selectAll().where('ticket_id', '=', ticketId).orderBy('at').orderBy('id').execute();
      return rows.map((r) => toAudit(r as AuditRow));
    },
    async pruneAudit(cutoff) {
      const result = await db.deleteFrom('audit_log').where('at', '<=', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async purgeableSessions(cutoff, limit) {
      const rows = await sql<{
        id: string;
      }>`SELECT s.id FROM sessions s WHERE ${purgeable(cutoff)} ORDER BY s.ended_at LIMIT ${limit}`.execute(db);
      return rows.rows.map((r) => r.id);
    },
    // One transaction each, re-checking the condition inside it: two relays sweeping at once both
    // run it, the second finds nothing left to do.
    async purgeSession(sessionId, cutoff, now) {
      return db.transaction().execute(async (trx) => {
        const still = await sql`SELECT 1 AS one FROM sessions s WHERE s.id = ${sessionId} AND ${purgeable(cutoff)}`.execute(trx);
        if (still.rows.length === 0) return false;
        await deletePersonal(trx, sessionId);
        const marked = await trx
          .insertInto('privacy_purges')
          .values({ session_id: sessionId, purged_at: now })
          .onConflict((oc) => oc.column('session_id').doNothing())
          .executeTakeFirst();
        return Number(marked.numInsertedOrUpdatedRows ?? 0n) === 1;
      });
    },
    async expirableSessions(cutoff, limit) {
      const rows = await db
        .selectFrom('sessions as s')
        .innerJoin('privacy_purges as p', 'p.session_id', 's.id')
        .select('s.id')
        .where('s.ended_at', '<=', cutoff)
        .orderBy('s.ended_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async expireSession(sessionId) {
      return db.transaction().execute((trx) => deleteAll(trx, sessionId));
    },
    async sessionsForTicket(ticketId) {
      return (await sessionRefs('ticket_id', ticketId)).map(toRef);
    },
    async sessionsForRequester(emailKey) {
      return (await sessionRefs('requester_email', emailKey)).map(toRef);
    },
    async noteForSession(sessionId) {
      const row = await db
        .selectFrom('writeback_ops')
        .select(['status', 'html_body', 'created_at', 'done_at'])
        .where('op_key', '=', callNoteKey(sessionId))
        .executeTakeFirst();
      return row ? { status: row.status, htmlBody: row.html_body, createdAt: row.created_at, doneAt: row.done_at } : null;
    },
    async eraseSession(sessionId, now, audit) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('sessions')
          .set({ status: 'ended', ended_at: now, end_reason: 'expired' })
          .where('id', '=', sessionId)
          .where('status', '=', 'active')
          .execute();
        await deleteAll(trx, sessionId);
        if (audit) await trx.insertInto('audit_log').values(auditRow(audit)).execute();
      });
    },
  };
}
