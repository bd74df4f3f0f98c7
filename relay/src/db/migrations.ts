/** Append-only: never edit a released migration, add the next number instead. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, participant tokens, agent sessions',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        ticket_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
        invite_token_hash TEXT NOT NULL UNIQUE,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT,
        agent_id TEXT NOT NULL,
        agent_name TEXT NOT NULL
      );
      CREATE INDEX sessions_by_ticket ON sessions (account, ticket_id, created_at);

      CREATE TABLE participant_tokens (
        token_hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('customer', 'specialist')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        policy_version TEXT,
        locale TEXT,
        consented_at INTEGER
      );
      CREATE INDEX participant_tokens_by_session ON participant_tokens (session_id, role);

      CREATE TABLE agent_sessions (
        token_hash TEXT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_name TEXT NOT NULL,
        agent_email TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX agent_sessions_by_expiry ON agent_sessions (expires_at);
    `,
  },
  {
    version: 2,
    name: "the agent's locale on agent sessions and sessions (the call note's language)",
    // Rows from before keep NULL: their note falls back to English.
    sql: `
      ALTER TABLE agent_sessions ADD COLUMN agent_locale TEXT DEFAULT NULL;
      ALTER TABLE sessions ADD COLUMN agent_locale TEXT DEFAULT NULL;
    `,
  },
  {
    version: 3,
    name: "the requester's email on sessions (access and erasure requests by email)",
    // Trimmed and lower-cased on write, so a lookup is one indexed equality. Rows from before keep
    // NULL: those sessions are found by ticket only.
    sql: `
      ALTER TABLE sessions ADD COLUMN requester_email TEXT DEFAULT NULL;
      CREATE INDEX sessions_by_requester_email ON sessions (requester_email) WHERE requester_email IS NOT NULL;
    `,
  },
];
