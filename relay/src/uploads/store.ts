import type Database from 'better-sqlite3';
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
  /** File names inside `<DATA_DIR>/uploads/<sessionId>/`. */
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

export function migrateUploads(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    uploader_role TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    original_file TEXT NOT NULL,
    preview_file TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS uploads_by_session ON uploads (session_id, created_at)`);
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

export function sqliteUploadRepository(db: Database.Database): UploadRepository {
  const insert = db.prepare(`INSERT INTO uploads
    (id, session_id, purpose, uploader_role, content_type, bytes, width, height, original_file, preview_file, created_at)
    VALUES (@id, @sessionId, @purpose, @uploaderRole, @contentType, @bytes, @width, @height, @originalFile, @previewFile, @createdAt)`);
  const byId = db.prepare('SELECT * FROM uploads WHERE id = ?');
  const bySession = db.prepare('SELECT * FROM uploads WHERE session_id = ? ORDER BY created_at, rowid');
  return {
    async add(record) {
      insert.run(record);
    },
    async findById(id) {
      const row = byId.get(id) as UploadRow | undefined;
      return row ? toRecord(row) : null;
    },
    async listForSession(sessionId) {
      return (bySession.all(sessionId) as UploadRow[]).map(toRecord);
    },
  };
}
