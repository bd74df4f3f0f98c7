import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { Engine, type Database, type DatabaseTarget } from '../db/database.js';
import { openStorage } from '../db/storage.js';
import type { Storage } from '../db/repository.js';

/** The PostgreSQL every machine of the project runs; a test run keeps to schemas of its own. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Both engines, for suites that must hold on each (the storage contract). */
export const ENGINES = [Engine.sqlite, Engine.postgres] as const;

export interface TestDatabase {
  target: DatabaseTarget;
  /** Drops what the test created (the PostgreSQL schema). */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database: SQLite in memory (or in `file`), or a new schema in the test
 * PostgreSQL, so tests never see each other's rows and can run in parallel.
 */
export async function testDatabase(engine: Engine, file = ':memory:'): Promise<TestDatabase> {
  if (engine === Engine.sqlite) return { target: { engine, file }, drop: async () => {} };
  const schema = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  return {
    target: { engine, url: TEST_DATABASE_URL, schema },
    drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Storage on a fresh test database; `close` also drops it. */
export async function testStorage(engine: Engine = Engine.sqlite): Promise<Storage> {
  const db = await testDatabase(engine);
  const storage = await openStorage(db.target);
  return {
    ...storage,
    async close() {
      await storage.close();
      await db.drop();
    },
  };
}

/** `?` placeholders, as in the SQL a test writes by hand, for either engine. */
function statement(text: string, params: readonly unknown[]): RawBuilder<unknown> {
  const parts = text.split('?');
  if (parts.length !== params.length + 1) throw new Error(`${params.length} parameters for ${parts.length - 1} placeholders: ${text}`);
  return sql(Object.assign([...parts], { raw: parts }) as unknown as TemplateStringsArray, ...params);
}

/** Rows of a hand-written query, numbers as numbers on both engines. */
export async function rows<T = Record<string, unknown>>(database: Database, text: string, ...params: unknown[]): Promise<T[]> {
  const result = await statement(text, params).execute(database.kysely);
  return result.rows as T[];
}

export async function run(database: Database, text: string, ...params: unknown[]): Promise<void> {
  await statement(text, params).execute(database.kysely);
}

/**
 * What a relay or the privacy CLI reads from `DATABASE_URL` to reach this test database (the
 * schema travels as a connection option); undefined for SQLite, which they find in DATA_DIR.
 */
export function databaseUrl(target: DatabaseTarget): string | undefined {
  if (target.engine === Engine.sqlite) return undefined;
  if (!target.schema) return target.url;
  const url = new URL(target.url);
  url.searchParams.set('options', `-c search_path=${target.schema}`);
  return url.toString();
}

/** Table names of the database, for scans that must cover every table a capability owns. */
export async function tableNames(database: Database): Promise<string[]> {
  const found =
    database.engine === Engine.sqlite
      ? await rows<{ name: string }>(database, `SELECT name FROM sqlite_master WHERE type = 'table'`)
      : await rows<{ name: string }>(
          database,
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        );
  return found.map((t) => t.name).sort();
}
