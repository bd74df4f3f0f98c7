import { join } from 'node:path';
import { blobStoreFor, type BlobStore } from '../blobs/index.js';
import { Engine } from '../db/database.js';
import type { Storage } from '../db/repository.js';
import { openStorage } from '../db/storage.js';
import { databaseUrl, testDatabase } from './db.js';
import { startHarness, type FakeHarness, type FreshdeskHarness, type Harness, type HarnessOptions } from './harness.js';

export interface EngineHarness<H extends Harness = FakeHarness> {
  h: H;
  /** A second connection to the relay's database, as another relay or the privacy CLI would have. */
  reader: Storage;
  /** The relay's files as another relay would read them: DATA_DIR on SQLite, the database on PostgreSQL. */
  blobs: BlobStore;
  /** What points a relay or the CLI at the same database (empty for SQLite: DATA_DIR is enough). */
  databaseEnv: Record<string, string>;
  close(): Promise<void>;
}

/** A relay (see startHarness) on `engine`: its SQLite file in DATA_DIR, or a fresh PostgreSQL schema. */
export function startHarnessOn(engine: Engine, env?: Record<string, string>, opts?: HarnessOptions<'fake'>): Promise<EngineHarness>;
export function startHarnessOn(
  engine: Engine,
  env: Record<string, string>,
  opts: HarnessOptions<'freshdesk'> & { helpdesk: 'freshdesk' },
): Promise<EngineHarness<FreshdeskHarness>>;
export async function startHarnessOn(
  engine: Engine,
  env: Record<string, string> = {},
  opts?: HarnessOptions<'fake'> | (HarnessOptions<'freshdesk'> & { helpdesk: 'freshdesk' }),
): Promise<EngineHarness<FakeHarness | FreshdeskHarness>> {
  const db = await testDatabase(engine);
  const url = databaseUrl(db.target);
  const databaseEnv: Record<string, string> = url ? { DATABASE_URL: url } : {};
  const h =
    opts?.helpdesk === 'freshdesk'
      ? await startHarness({ ...env, ...databaseEnv }, opts as HarnessOptions<'freshdesk'> & { helpdesk: 'freshdesk' })
      : await startHarness({ ...env, ...databaseEnv }, opts as HarnessOptions<'fake'>);
  const reader = await openStorage(engine === Engine.sqlite ? { engine, file: join(h.dataDir, 'relay.sqlite') } : db.target);
  return {
    h,
    reader,
    blobs: blobStoreFor(reader.database, h.dataDir),
    databaseEnv,
    async close() {
      await reader.close();
      await h.close();
      await db.drop();
    },
  };
}
