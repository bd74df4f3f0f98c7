import { sql } from 'kysely';
import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { checkFolder, checkKey, folderOf, type BlobStore } from './store.js';

/**
 * Files kept in the database, for relays that share one PostgreSQL: any relay serves any
 * session's files. The table exists on SQLite too (migrations are shared) and stays empty there.
 */
export const blobsSchema: SchemaOwner = {
  name: 'blobs',
  migrations: [
    {
      version: 1,
      name: 'files by key',
      // `folder` (the key without its file name) makes listing and deleting a session's files an
      // index lookup rather than a scan of a table of photos.
      sql: (t) => `
        CREATE TABLE blobs (
          blob_key TEXT PRIMARY KEY,
          folder TEXT NOT NULL,
          data ${t.bytes} NOT NULL
        );
        CREATE INDEX blobs_folder ON blobs (folder);
      `,
    },
  ],
};

interface BlobTables {
  blobs: { blob_key: string; folder: string; data: Uint8Array };
}

export function databaseBlobs(database: Database): BlobStore {
  const db = tables<BlobTables>(database);
  return {
    async put(key, bytes) {
      const row = { blob_key: key, folder: folderOf(key), data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      // One statement: a reader sees the old bytes or the new ones.
      await db
        .insertInto('blobs')
        .values(row)
        .onConflict((oc) => oc.column('blob_key').doUpdateSet({ data: row.data }))
        .execute();
    },
    async get(key) {
      checkKey(key);
      const row = await db.selectFrom('blobs').select('data').where('blob_key', '=', key).executeTakeFirst();
      if (!row) return null;
      return Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data);
    },
    async size(key) {
      checkKey(key);
      // length() of a BLOB (SQLite) or BYTEA (PostgreSQL) counts bytes, without sending them.
      const row = await db
        .selectFrom('blobs')
        .select(sql<number>`length(data)`.as('n'))
        .where('blob_key', '=', key)
        .executeTakeFirst();
      return row ? Number(row.n) : null;
    },
    async delete(key) {
      checkKey(key);
      await db.deleteFrom('blobs').where('blob_key', '=', key).execute();
    },
    async list(folder) {
      checkFolder(folder);
      const rows = await db.selectFrom('blobs').select('blob_key').where('folder', '=', folder).execute();
      // Sorted here: the engines' text orderings differ (PostgreSQL follows the database's collation).
      return rows.map((r) => r.blob_key).sort();
    },
    async deleteFolder(folder) {
      checkFolder(folder);
      await db.deleteFrom('blobs').where('folder', '=', folder).execute();
    },
  };
}
