import Database from 'better-sqlite3';
import { seed, seedGroups } from './seed.js';

export type Db = Database.Database;

export interface UserRow {
  id: number;
  name: string;
  email: string;
  role: 'admin' | 'agent' | 'end-user';
  /** Zendesk's agent restriction: null (all tickets), groups, organization, assigned or requested. */
  ticket_restriction: 'groups' | 'organization' | 'assigned' | 'requested' | null;
  organization_id: number | null;
  locale: string;
  time_zone: string;
  created_at: string;
  updated_at: string;
}

export interface TicketRow {
  id: number;
  subject: string;
  description: string;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  type: 'question' | 'incident' | 'problem' | 'task' | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  group_id: number | null;
  organization_id: number | null;
  tags: string; // JSON array
  created_at: string;
  updated_at: string;
}

export interface CommentRow {
  id: number;
  ticket_id: number;
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: 0 | 1;
  audit_id: number;
  created_at: string;
}

export interface AttachmentRow {
  id: number;
  upload_token: string;
  comment_id: number | null;
  url_token: string;
  file_name: string;
  content_type: string;
  size: number;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  locale TEXT NOT NULL, time_zone TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tickets (
  id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL, description TEXT NOT NULL,
  status TEXT NOT NULL, priority TEXT, type TEXT, requester_id INTEGER NOT NULL REFERENCES users(id),
  submitter_id INTEGER NOT NULL REFERENCES users(id), assignee_id INTEGER REFERENCES users(id),
  tags TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  author_id INTEGER NOT NULL REFERENCES users(id), body TEXT NOT NULL, html_body TEXT NOT NULL,
  plain_body TEXT NOT NULL, public INTEGER NOT NULL, audit_id INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS comments_ticket ON comments(ticket_id, id);
CREATE TABLE IF NOT EXISTS uploads (token TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT, upload_token TEXT NOT NULL REFERENCES uploads(token),
  comment_id INTEGER REFERENCES comments(id), url_token TEXT NOT NULL UNIQUE, file_name TEXT NOT NULL,
  content_type TEXT NOT NULL, size INTEGER NOT NULL, content BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attachments_comment ON attachments(comment_id);
CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS group_memberships (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id),
  group_id INTEGER NOT NULL REFERENCES groups(id), UNIQUE (user_id, group_id));
`;

/** Columns added after the first release; older sandbox databases get them on open. */
const ADDED_COLUMNS: { table: string; column: string; type: string }[] = [
  { table: 'users', column: 'ticket_restriction', type: 'TEXT' },
  { table: 'users', column: 'organization_id', type: 'INTEGER' },
  { table: 'tickets', column: 'group_id', type: 'INTEGER' },
  { table: 'tickets', column: 'organization_id', type: 'INTEGER' },
];

function addMissingColumns(db: Database.Database): void {
  for (const { table, column, type } of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}

export function openDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  addMissingColumns(db);
  const seeded = db.prepare('SELECT 1 FROM users LIMIT 1').get();
  if (!seeded) db.transaction(() => seed(db))();
  else if (!db.prepare('SELECT 1 FROM groups LIMIT 1').get()) db.transaction(() => seedGroups(db))();
  return db;
}

export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Reads a setting, creating and persisting it on first use so restarts keep the same value. */
export async function persistentSetting(db: Db, key: string, create: () => string | Promise<string>): Promise<string> {
  const existing = getSetting(db, key);
  if (existing !== undefined) return existing;
  const value = await create();
  setSetting(db, key, value);
  return value;
}
