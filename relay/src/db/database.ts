import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';

export const Engine = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

/** Where the relay keeps its rows: a SQLite file (the embedded default) or a PostgreSQL URL. */
export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; schema?: string };

/** The query builder before a capability names its tables (see `tables`). */
export type AnyTables = Record<string, Record<string, unknown>>;

/**
 * One connection (SQLite) or pool (PostgreSQL) behind one query builder. Repositories are written
 * once against `kysely`; the few statements that differ by engine ask `engine`.
 */
export interface Database {
  readonly engine: Engine;
  /** Typed by each capability for its own tables (see `tables`). */
  readonly kysely: Kysely<AnyTables>;
  close(): Promise<void>;
}

/** The capability's view of the database: only the tables it declares. */
export function tables<T>(database: Database): Kysely<T> {
  return database.kysely as unknown as Kysely<T>;
}

// Milliseconds and counts are BIGINT on PostgreSQL; they fit a JS number, so read them as one
// (pg returns int8 as a string by default, which would leak into every record).
const INT8 = 20;
const NUMERIC_INT8 = (value: string): number => Number(value);

/** Statements kept per SQL text; past it the cache starts over (texts with inlined lists vary). */
const MAX_STATEMENTS = 500;

/**
 * better-sqlite3 compiles SQL on every prepare, and kysely prepares each query it runs: a chat line
 * cost five compilations. The relay's queries are a fixed set of texts with their values bound as
 * parameters, so each text is compiled once and its statement reused (kysely never streams here,
 * which is the one use that keeps a statement busy).
 */
function compiledOnce(raw: BetterSqlite.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = raw.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export function openDatabase(target: DatabaseTarget): Database {
  if (target.engine === Engine.sqlite) {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    const raw = new BetterSqlite(target.file);
    raw.pragma('journal_mode = WAL');
    // WAL keeps every commit durable across a process crash; NORMAL skips the fsync per commit that
    // would otherwise stall the event loop (heartbeats, chat fan-out) on slow disks.
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    const kysely = new Kysely<AnyTables>({ dialect: new SqliteDialect({ database: compiledOnce(raw) }) });
    return {
      engine: Engine.sqlite,
      kysely,
      async close() {
        if (raw.open) await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    // A test run (or a second product on one server) keeps its tables in a schema of its own.
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? NUMERIC_INT8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not take the process down with it.
  pool.on('error', () => {});
  const kysely = new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    engine: Engine.postgres,
    kysely,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

/** `DATABASE_URL` (postgres://…) or the SQLite file under the data folder. */
export function databaseTarget(databaseUrl: string | undefined, sqliteFile: string): DatabaseTarget {
  return databaseUrl ? { engine: Engine.postgres, url: databaseUrl } : { engine: Engine.sqlite, file: sqliteFile };
}
