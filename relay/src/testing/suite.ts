import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { blobStoreFor, type BlobStore } from '../blobs/index.js';
import type { Engine } from '../db/database.js';
import type { Storage } from '../db/repository.js';
import { openStorage } from '../db/storage.js';
import { testDatabase, type TestDatabase } from './db.js';
import { startHarness, type FakeHarness } from './harness.js';

/** A relay (fake Zendesk) with an agent signed in, for the tests of one describe block. */
export function withHarness(started: (s: { h: FakeHarness; agent: string }) => void): void {
  let h: FakeHarness | undefined;
  beforeAll(async () => {
    h = await startHarness();
    started({ h, agent: await h.agentToken() });
  });
  afterAll(() => h?.close());
}

export interface StorageInDataDir {
  dataDir: string;
  db: TestDatabase;
  storage: Storage;
  /** Where the relay keeps this storage's files (the folder on SQLite, the database on PostgreSQL). */
  blobs: BlobStore;
}

/**
 * A fresh data folder and storage for each test: a SQLite file in the folder, or a PostgreSQL
 * schema of its own, so a second relay or the privacy CLI can open the same database.
 */
export function withStorageInDataDir(engine: Engine, prefix: string, started: (s: StorageInDataDir) => void): void {
  let opened: StorageInDataDir | undefined;
  beforeEach(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), prefix));
    const db = await testDatabase(engine, join(dataDir, 'relay.sqlite'));
    const storage = await openStorage(db.target);
    opened = { dataDir, db, storage, blobs: blobStoreFor(storage.database, dataDir) };
    started(opened);
  });
  afterEach(async () => {
    if (!opened) return;
    await opened.storage.close();
    await opened.db.drop();
    rmSync(opened.dataDir, { recursive: true, force: true });
  });
}
