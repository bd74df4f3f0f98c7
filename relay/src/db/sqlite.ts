import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Role, SessionStatus } from '@live-assist/protocol';
import { migrateJourney, sqliteJourneyRepository } from '../journey/store.js';
import { migrateOutbox } from '../writeback/store.js';
import { migrateChat, sqliteChatRepository } from '../features/chat/store.js';
import { migrateUploads, sqliteUploadRepository } from '../uploads/store.js';
import { migrateAnnotations, sqliteAnnotationStore } from '../features/annotations/store.js';
import { migratePrivacy, sqlitePrivacyRepository } from '../privacy/store.js';
import { migrations, type Migration } from './migrations.js';
import type {
  AgentSessionRecord,
  ConsentRecord,
  ParticipantTokenRecord,
  SessionEndReason,
  SessionAuditEntry,
  SessionRecord,
  Storage,
} from './repository.js';
import { requesterEmailKey } from './repository.js';

type Db = Database.Database;

/** Who took over whose seat, when; kept with the session (idempotent, like the feature tables). */
function migrateSessionAudit(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS session_audit (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_agent_id TEXT NOT NULL,
    from_agent_name TEXT NOT NULL,
    to_agent_id TEXT NOT NULL,
    to_agent_name TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS session_audit_by_session ON session_audit (session_id, at);
  CREATE TABLE IF NOT EXISTS observer_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL,
    agent_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
}

interface ObserverTokenRow {
  token_hash: string;
  session_id: string;
  agent_id: string;
  agent_name: string;
  created_at: number;
  expires_at: number;
}

interface AuditRow {
  session_id: string;
  at: number;
  kind: SessionAuditEntry['kind'];
  from_agent_id: string;
  from_agent_name: string;
  to_agent_id: string;
  to_agent_name: string;
}

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

export function migrate(db: Db, list: readonly Migration[] = migrations): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
  }
}

/** Storage plus the raw database, for feature-owned tables the outbox and others keep. */
export type SqliteStorage = Storage & { readonly db: Db };

/** Opens (creating if needed) the SQLite database at `file` and applies pending migrations. */
export function openSqliteStorage(file: string): SqliteStorage {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // WAL keeps every commit durable across a process crash; NORMAL skips the fsync per commit that
  // would otherwise stall the event loop (heartbeats, chat fan-out) on slow disks.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  migrateSessionAudit(db);
  migrateJourney(db);
  migrateOutbox(db);
  migrateUploads(db);
  migrateChat(db);
  migrateAnnotations(db);
  migratePrivacy(db);
  return { ...sqliteStorage(db), db };
}

function sqliteStorage(db: Db): Storage {
  const q = {
    insertSession: db.prepare(`INSERT INTO sessions
      (id, account, ticket_id, status, invite_token_hash, expires_at, created_at, ended_at, end_reason, agent_id, agent_name, agent_locale, requester_email)
      VALUES (@id, @account, @ticketId, @status, @inviteTokenHash, @expiresAt, @createdAt, @endedAt, @endReason, @agentId, @agentName, @agentLocale, @requesterEmail)`),
    activeForTicket: db.prepare(`SELECT id FROM sessions WHERE account = ? AND ticket_id = ? AND status = 'active'`),
    endSession: db.prepare(`UPDATE sessions SET status = 'ended', ended_at = ?, end_reason = ? WHERE id = ? AND status = 'active'`),
    sessionById: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    reassign: db.prepare(`UPDATE sessions SET agent_id = ?, agent_name = ?, agent_locale = ? WHERE id = ? AND status = 'active'`),
    insertAudit: db.prepare(`INSERT INTO session_audit
      (session_id, at, kind, from_agent_id, from_agent_name, to_agent_id, to_agent_name) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    insertObserverToken: db.prepare(`INSERT OR IGNORE INTO observer_tokens
      (token_hash, session_id, agent_id, agent_name, created_at, expires_at)
      VALUES (@tokenHash, @sessionId, @agentId, @agentName, @createdAt, @expiresAt)`),
    observerTokenByHash: db.prepare('SELECT * FROM observer_tokens WHERE token_hash = ?'),
    auditOf: db.prepare('SELECT * FROM session_audit WHERE session_id = ? ORDER BY at, rowid'),
    expiredActive: db.prepare(`SELECT id, expires_at FROM sessions WHERE status = 'active' AND expires_at <= ?`),
    sessionByInvite: db.prepare('SELECT * FROM sessions WHERE invite_token_hash = ?'),
    latestForTicket: db.prepare('SELECT * FROM sessions WHERE account = ? AND ticket_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
    insertParticipant: db.prepare(`INSERT OR IGNORE INTO participant_tokens
      (token_hash, session_id, role, created_at, expires_at)
      VALUES (@tokenHash, @sessionId, @role, @createdAt, @expiresAt)`),
    participantByHash: db.prepare('SELECT * FROM participant_tokens WHERE token_hash = ?'),
    revokeOthers: db.prepare('DELETE FROM participant_tokens WHERE session_id = ? AND role = ? AND token_hash <> ?'),
    recordConsent: db.prepare('UPDATE participant_tokens SET policy_version = ?, locale = ?, consented_at = ? WHERE token_hash = ?'),
    insertAgentSession: db.prepare(`INSERT INTO agent_sessions
      (token_hash, id, account, agent_id, agent_name, agent_email, agent_locale, created_at, expires_at)
      VALUES (@tokenHash, @id, @account, @agentId, @agentName, @agentEmail, @agentLocale, @createdAt, @expiresAt)`),
    agentSessionByHash: db.prepare('SELECT * FROM agent_sessions WHERE token_hash = ?'),
    deleteExpiredAgentSessions: db.prepare('DELETE FROM agent_sessions WHERE expires_at <= ?'),
  };

  const startForTicket = db.transaction((s: SessionRecord): string[] => {
    const ended = (q.activeForTicket.all(s.account, s.ticketId) as { id: string }[]).map((r) => r.id);
    for (const id of ended) q.endSession.run(s.createdAt, 'replaced', id);
    q.insertSession.run({ ...s, requesterEmail: s.requesterEmail === null ? null : requesterEmailKey(s.requesterEmail) || null });
    return ended;
  });

  const takeOver = db.transaction(
    (id: string, to: { agentId: string; agentName: string; agentLocale: string | null }, at: number): boolean => {
      const before = findSession(id);
      if (!before || q.reassign.run(to.agentId, to.agentName, to.agentLocale, id).changes === 0) return false;
      q.insertAudit.run(id, at, 'takeover', before.agentId, before.agentName, to.agentId, to.agentName);
      return true;
    },
  );

  const endExpired = db.transaction((now: number): string[] => {
    const due = q.expiredActive.all(now) as { id: string; expires_at: number }[];
    return due.filter((r) => q.endSession.run(r.expires_at, 'expired', r.id).changes > 0).map((r) => r.id);
  });

  const findSession = (id: string): SessionRecord | null => {
    const row = q.sessionById.get(id) as SessionRow | undefined;
    return row ? toSession(row) : null;
  };

  return {
    sessions: {
      async startForTicket(session) {
        return { endedSessionIds: startForTicket(session) };
      },
      async findById(id) {
        return findSession(id);
      },
      async findByInviteHash(hash) {
        const row = q.sessionByInvite.get(hash) as SessionRow | undefined;
        return row ? toSession(row) : null;
      },
      async findLatestForTicket(account, ticketId) {
        const row = q.latestForTicket.get(account, ticketId) as SessionRow | undefined;
        return row ? toSession(row) : null;
      },
      async end(id, endedAt, reason) {
        q.endSession.run(endedAt, reason, id);
        return findSession(id);
      },
      async takeOver(id, to, at) {
        return takeOver(id, to, at) ? findSession(id) : null;
      },
      async auditTrail(id) {
        return (q.auditOf.all(id) as AuditRow[]).map((r) => ({
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
        q.insertAudit.run(e.sessionId, e.at, e.kind, e.fromAgentId, e.fromAgentName, e.toAgentId, e.toAgentName);
      },
      async addObserverToken(t) {
        q.insertObserverToken.run(t);
      },
      async findObserverToken(hash) {
        const r = q.observerTokenByHash.get(hash) as ObserverTokenRow | undefined;
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
      async endExpired(now) {
        return endExpired(now).flatMap((id) => findSession(id) ?? []);
      },
    },
    participants: {
      async add(token) {
        q.insertParticipant.run(token);
      },
      async findByHash(hash) {
        const row = q.participantByHash.get(hash) as ParticipantRow | undefined;
        return row ? toParticipant(row) : null;
      },
      async revokeOthers(sessionId, role, keepTokenHash) {
        q.revokeOthers.run(sessionId, role, keepTokenHash);
      },
      async recordConsent(hash, c: ConsentRecord) {
        q.recordConsent.run(c.policyVersion, c.locale, c.consentedAt, hash);
      },
      async findConsent(hash) {
        const row = q.participantByHash.get(hash) as ParticipantRow | undefined;
        if (!row || row.policy_version === null || row.locale === null || row.consented_at === null) return null;
        return { policyVersion: row.policy_version, locale: row.locale, consentedAt: row.consented_at };
      },
    },
    agentSessions: {
      async create(s: AgentSessionRecord) {
        q.insertAgentSession.run(s);
      },
      async findByHash(hash) {
        const row = q.agentSessionByHash.get(hash) as AgentSessionRow | undefined;
        return row ? toAgentSession(row) : null;
      },
      async deleteExpired(now) {
        return q.deleteExpiredAgentSessions.run(now).changes;
      },
    },
    journey: sqliteJourneyRepository(db),
    chat: sqliteChatRepository(db),
    uploads: sqliteUploadRepository(db),
    annotations: sqliteAnnotationStore(db),
    privacy: sqlitePrivacyRepository(db),
    close() {
      if (db.open) db.close();
    },
  };
}
