import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import type { StoredImageType, UploadPurpose } from '@live-assist/protocol';

export interface UploadRecord {
  id: string;
  sessionId: string;
  purpose: UploadPurpose;
  uploaderRole: 'customer' | 'specialist';
  contentType: StoredImageType;
  bytes: number;
  width: number;
  height: number;
  /** File names in the session's `uploads/<sessionId>/` blob folder. */
  originalFile: string;
  previewFile: string;
  createdAt: number;
}

/** Uploads of a session: chat photos, freeze stills, snapshots; the write-back lists them. */
export interface UploadRepository {
  add(record: UploadRecord): Promise<void>;
  findById(id: string): Promise<UploadRecord | null>;
  /** Oldest first. */
  listForSession(sessionId: string): Promise<UploadRecord[]>;
}

interface UploadRow {
  n?: number;
  id: string;
  session_id: string;
  purpose: UploadPurpose;
  uploader_role: 'customer' | 'specialist';
  content_type: StoredImageType;
  bytes: number;
  width: number;
  height: number;
  original_file: string;
  preview_file: string;
  created_at: number;
}

export const uploadsSchema: SchemaOwner = {
  name: 'uploads',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: 'photos, stills and snapshots of a session',
      // `n` keeps the order of uploads made within one millisecond.
      sql: (t) => `
        CREATE TABLE uploads (
          n ${t.serial},
          id TEXT NOT NULL UNIQUE,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          purpose TEXT NOT NULL,
          uploader_role TEXT NOT NULL,
          content_type TEXT NOT NULL,
          bytes BIGINT NOT NULL,
          width BIGINT NOT NULL,
          height BIGINT NOT NULL,
          original_file TEXT NOT NULL,
          preview_file TEXT NOT NULL,
          created_at BIGINT NOT NULL
        );
        CREATE INDEX uploads_by_session ON uploads (session_id, created_at);
      `,
    },
  ],
};

export interface UploadTables {
  uploads: UploadRow;
}

const toRecord = (r: UploadRow): UploadRecord => ({
  id: r.id,
  sessionId: r.session_id,
  purpose: r.purpose,
  uploaderRole: r.uploader_role,
  contentType: r.content_type,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  originalFile: r.original_file,
  previewFile: r.preview_file,
  createdAt: r.created_at,
});

export function uploadRepository(database: Database): UploadRepository {
  const db = tables<UploadTables>(database);
  return {
    async add(r) {
      await db
        .insertInto('uploads')
        .values({
          id: r.id,
          session_id: r.sessionId,
          purpose: r.purpose,
          uploader_role: r.uploaderRole,
          content_type: r.contentType,
          bytes: r.bytes,
          width: r.width,
          height: r.height,
          original_file: r.originalFile,
          preview_file: r.previewFile,
          created_at: r.createdAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listForSession(sessionId) {
      const rows = await db
        .selectFrom('uploads')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('created_at')
        .orderBy('n')
        .execute();
      return rows.map(toRecord);
    },
  };
}
