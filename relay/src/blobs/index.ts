import { Engine, type Database } from '../db/database.js';
import { databaseBlobs } from './database.js';
import { localBlobs } from './local.js';
import type { BlobStore } from './store.js';

export { blobsSchema, databaseBlobs } from './database.js';
export { localBlobs } from './local.js';
export * from './store.js';

/**
 * The one place that decides where files live. On PostgreSQL relays may share the database but
 * not a disk, so files go in the database; on SQLite (one relay, one disk) they stay in DATA_DIR,
 * where they have always been.
 */
export function blobStoreFor(database: Database, dataDir: string): BlobStore {
  return database.engine === Engine.postgres ? databaseBlobs(database) : localBlobs(dataDir);
}
