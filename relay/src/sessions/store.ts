import type { Role, SessionStatus } from '@live-assist/protocol';
import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import type {
  AgentSessionRecord,
  AgentSessionRepository,
  ParticipantRepository,
  ParticipantTokenRecord,
  SessionAuditEntry,
  SessionEndReason,
  SessionRecord,
  SessionRepository,
} from '../db/repository.js';
import { requesterEmailKey } from '../db/repository.js';

export const sessionsSchema: SchemaOwner = {
  name: 'sessions',
  migrations: [
    {
      version: 1,
      name: 'sessions, participant and agent tokens, observer tokens, the seat audit trail',
      sql: (t) => `
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          account TEXT NOT NULL,
          ticket_id BIGINT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
          invite_token_hash TEXT NOT NULL UNIQUE,
          expires_at BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          ended_at BIGINT,
          end_reason TEXT,
          agent_id TEXT NOT NULL,
          agent_name TEXT NOT NULL,
          agent_locale TEXT,
          requester_email TEXT
        );
        CREATE INDEX sessions_by_ticket ON sessions (account, ticket_id, created_at);
        CREATE INDEX sessions_active_by_expiry ON sessions (expires_at) WHERE status = 'active';
        CREATE INDEX sessions_by_requester_email ON sessions (requester_email) WHERE requester_email IS NOT NULL;

        CREATE TABLE participant_tokens (
          token_hash TEXT PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('customer', 'specialist')),
          created_at BIGINT NOT NULL,
          expires_at BIGINT,
          policy_version TEXT,
          locale TEXT,
          consented_at BIGINT
        );
        CREATE INDEX participant_tokens_by_session ON participant_tokens (session_id, role);

        CREATE TABLE agent_sessions (
          token_hash TEXT PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          account TEXT NOT NULL,
          agent_id TEXT NOT NULL,
          agent_name TEXT NOT NULL,
          agent_email TEXT,
          agent_locale TEXT,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX agent_sessions_by_expiry ON agent_sessions (expires_at);

        CREATE TABLE session_audit (
          id ${t.serial},
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          at BIGINT NOT NULL,
          kind TEXT NOT NULL,
          from_agent_id TEXT NOT NULL,
          from_agent_name TEXT NOT NULL,
          to_agent_id TEXT NOT NULL,
          to_agent_name TEXT NOT NULL
        );
        CREATE INDEX session_audit_by_session ON session_audit (session_id, at);

        CREATE TABLE observer_tokens (
          token_hash TEXT PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          agent_id TEXT NOT NULL,
          agent_name TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        );
      `,
    },
    {
      version: 2,
      name: 'signed-URL app-load tokens already spent, shared by every relay',
      sql: `
        CREATE TABLE spent_app_tokens (
          token_hash TEXT PRIMARY KEY,
          kept_until BIGINT NOT NULL
        );
        CREATE INDEX spent_app_tokens_by_expiry ON spent_app_tokens (kept_until);
      `,
    },
  ],
};

interface SessionRow {
  id: string;
  account: string;
  ticket_id: number;
  status: SessionStatus;
  invite_token_hash: string;
  expires_at: number;
  created_at: number;
  ended_at: number | null;
  end_reason: SessionEndReason | null;
  agent_id: string;
  agent_name: string;
  agent_locale: string | null;
  requester_email: string | null;
}

interface ParticipantRow {
  token_hash: string;
  session_id: string;
  role: Role;
  created_at: number;
  expires_at: number | null;
  policy_version: string | null;
  locale: string | null;
  consented_at: number | null;
}

interface AgentSessionRow {
  token_hash: string;
  id: string;
  account: string;
  agent_id: string;
  agent_name: string;
  agent_email: string | null;
  agent_locale: string | null;
  created_at: number;
  expires_at: number;
}

interface AuditRow {
  id?: number;
  session_id: string;
  at: number;
  kind: SessionAuditEntry['kind'];
  from_agent_id: string;
  from_agent_name: string;
  to_agent_id: string;
  to_agent_name: string;
}

interface ObserverTokenRow {
  token_hash: string;
  session_id: string;
  agent_id: string;
  agent_name: string;
  created_at: number;
  expires_at: number;
}

/** The tables this capability owns, as the query builder sees them. */
export interface SessionTables {
  sessions: SessionRow;
  participant_tokens: ParticipantRow;
  agent_sessions: AgentSessionRow;
  session_audit: AuditRow;
  observer_tokens: ObserverTokenRow;
  spent_app_tokens: { token_hash: string; kept_until: number };
}

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  account: r.account,
  ticketId: r.ticket_id,
  status: r.status,
  inviteTokenHash: r.invite_token_hash,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  agentId: r.agent_id,
  agentName: r.agent_name,
  agentLocale: r.agent_locale,
  requesterEmail: r.requester_email,
});

const toParticipant = (r: ParticipantRow): ParticipantTokenRecord => ({
  tokenHash: r.token_hash,
  sessionId: r.session_id,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const toAgentSession = (r: AgentSessionRow): AgentSessionRecord => ({
  id: r.id,
  tokenHash: r.token_hash,
  account: r.account,
  agentId: r.agent_id,
  agentName: r.agent_name,
  agentEmail: r.agent_email,
  agentLocale: r.agent_locale,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export function sessionRepository(database: Database): SessionRepository {
  const db = tables<SessionTables>(database);
  const findById = async (id: string): Promise<SessionRecord | null> => {
    const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : null;
  };
  return {
    async startForTicket(s) {
      return db.transaction().execute(async (trx) => {
        const ended = await trx
          .updateTable('sessions')
          .set({ status: 'ended', ended_at: s.createdAt, end_reason: 'replaced' })
          .where('account', '=', s.account)
          .where('ticket_id', '=', s.ticketId)
          .where('status', '=', 'active')
          .returning('id')
          .execute();
        await trx
          .insertInto('sessions')
          .values({
            id: s.id,
            account: s.account,
            ticket_id: s.ticketId,
            status: s.status,
            invite_token_hash: s.inviteTokenHash,
            expires_at: s.expiresAt,
            created_at: s.createdAt,
            ended_at: s.endedAt,
            end_reason: s.endReason,
            agent_id: s.agentId,
            agent_name: s.agentName,
            agent_locale: s.agentLocale,
            requester_email: s.requesterEmail === null ? null : requesterEmailKey(s.requesterEmail) || null,
          })
          .execute();
        return { endedSessionIds: ended.map((r) => r.id) };
      });
    },
    findById,
    async findByInviteHash(hash) {
      const row = await db.selectFrom('sessions').selectAll().where('invite_token_hash', '=', hash).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async findLatestForTicket(account, ticketId) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('account', '=', account)
        .where('ticket_id', '=', ticketId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async end(id, endedAt, reason) {
      await db
        .updateTable('sessions')
        .set({ status: 'ended', ended_at: endedAt, end_reason: reason })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .execute();
      return findById(id);
    },
    async endExpired(now) {
      // One statement: with several relays on one database, each expiry is ended (and reported) once.
      const rows = await db
        .updateTable('sessions')
        .set((eb) => ({ status: 'ended', ended_at: eb.ref('expires_at'), end_reason: 'expired' }))
        .where('status', '=', 'active')
        .where('expires_at', '<=', now)
        .returningAll()
        .execute();
      return rows.map(toSession);
    },
    async takeOver(id, to, at) {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('sessions').selectAll().where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
        if (!before) return null;
        const after = await trx
          .updateTable('sessions')
          .set({ agent_id: to.agentId, agent_name: to.agentName, agent_locale: to.agentLocale })
          .where('id', '=', id)
          .where('status', '=', 'active')
          .returningAll()
          .executeTakeFirst();
        if (!after) return null;
        await trx
          .insertInto('session_audit')
          .values({
            session_id: id,
            at,
            kind: 'takeover',
            from_agent_id: before.agent_id,
            from_agent_name: before.agent_name,
            to_agent_id: to.agentId,
            to_agent_name: to.agentName,
          })
          .execute();
        return toSession(after);
      });
    },
    async auditTrail(id) {
      const rows = await db.selectFrom('session_audit').selectAll().where('session_id', '=', id).orderBy('at').orderBy('id').execute();
      return rows.map((r) => ({
        sessionId: r.session_id,
        at: r.at,
        kind: r.kind,
        fromAgentId: r.from_agent_id,
        fromAgentName: r.from_agent_name,
        toAgentId: r.to_agent_id,
        toAgentName: r.to_agent_name,
      }));
    },
    async recordObserverAudit(e) {
      await db
        .insertInto('session_audit')
        .values({
          session_id: e.sessionId,
          at: e.at,
          kind: e.kind,
          from_agent_id: e.fromAgentId,
          from_agent_name: e.fromAgentName,
          to_agent_id: e.toAgentId,
          to_agent_name: e.toAgentName,
        })
        .execute();
    },
    async addObserverToken(t) {
      await db
        .insertInto('observer_tokens')
        .values({
          token_hash: t.tokenHash,
          session_id: t.sessionId,
          agent_id: t.agentId,
          agent_name: t.agentName,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
        })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    },
    async findObserverToken(hash) {
      const r = await db.selectFrom('observer_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r
        ? {
            tokenHash: r.token_hash,
            sessionId: r.session_id,
            agentId: r.agent_id,
            agentName: r.agent_name,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
          }
        : null;
    },
  };
}

export function participantRepository(database: Database): ParticipantRepository {
  const db = tables<SessionTables>(database);
  const byHash = (hash: string) => db.selectFrom('participant_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  return {
    async add(t) {
      await db
        .insertInto('participant_tokens')
        .values({ token_hash: t.tokenHash, session_id: t.sessionId, role: t.role, created_at: t.createdAt, expires_at: t.expiresAt })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    },
    async findByHash(hash) {
      const row = await byHash(hash);
      return row ? toParticipant(row) : null;
    },
    async revokeOthers(sessionId, role, keepTokenHash) {
      await db
        .deleteFrom('participant_tokens')
        .where('session_id', '=', sessionId)
        .where('role', '=', role)
        .where('token_hash', '<>', keepTokenHash)
        .execute();
    },
    async recordConsent(hash, c) {
      await db
        .updateTable('participant_tokens')
        .set({ policy_version: c.policyVersion, locale: c.locale, consented_at: c.consentedAt })
        .where('token_hash', '=', hash)
        .execute();
    },
    async findConsent(hash) {
      const row = await byHash(hash);
      if (!row || row.policy_version === null || row.locale === null || row.consented_at === null) return null;
      return { policyVersion: row.policy_version, locale: row.locale, consentedAt: row.consented_at };
    },
  };
}

export function agentSessionRepository(database: Database): AgentSessionRepository {
  const db = tables<SessionTables>(database);
  return {
    async create(s) {
      await db
        .insertInto('agent_sessions')
        .values({
          token_hash: s.tokenHash,
          id: s.id,
          account: s.account,
          agent_id: s.agentId,
          agent_name: s.agentName,
          agent_email: s.agentEmail,
          agent_locale: s.agentLocale,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async findByHash(hash) {
      const row = await db.selectFrom('agent_sessions').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return row ? toAgentSession(row) : null;
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('agent_sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Signed-URL app-load tokens already used, by hash, in the database every relay shares. */
export interface SpentAppTokenRepository {
  /**
   * Records the token as used until `keptUntil`; false when it was already (on any relay). One
   * insert that the primary key refuses, so two relays spending it at once cannot both win.
   */
  spend(tokenHash: string, keptUntil: number, now: number): Promise<boolean>;
}

export function spentAppTokenRepository(database: Database): SpentAppTokenRepository {
  const db = tables<SessionTables>(database);
  return {
    async spend(tokenHash, keptUntil, now) {
      // Housekeeping piggybacks on app loads, as agent sessions' does on logins: no timer needed.
      await db.deleteFrom('spent_app_tokens').where('kept_until', '<', now).execute();
      const result = await db
        .insertInto('spent_app_tokens')
        .values({ token_hash: tokenHash, kept_until: keptUntil })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}
