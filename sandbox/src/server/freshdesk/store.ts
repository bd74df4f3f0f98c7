import Database from 'better-sqlite3';
import type { IncomingFile } from './writes.js';

/**
 * The Freshdesk sandbox's account: agents, contacts and tickets are fixed (code, below); what the
 * relay writes (replies, notes and their files) and the generated secrets persist in SQLite, so a
 * restart of `npm start` keeps the notes of earlier calls.
 */

export interface FdAgent {
  id: number;
  name: string;
  email: string;
  language: string;
  /** 1 global, 2 group, 3 restricted (assigned tickets only). */
  ticket_scope: 1 | 2 | 3;
  group_ids: number[];
}

export interface FdContact {
  id: number;
  name: string;
  email: string;
  language: string;
  time_zone: string;
}

export interface FdTicket {
  id: number;
  subject: string;
  description: string;
  requester_id: number;
  responder_id: number | null;
  group_id: number | null;
  /** 2 open, 3 pending, 4 resolved, 5 closed. */
  status: 2 | 3 | 4 | 5;
  /** 1 low … 4 urgent. */
  priority: 1 | 2 | 3 | 4;
  created_at: string;
}

export const FD_AGENT_ID = 10001;
export const FD_RESTRICTED_AGENT_ID = 10005;
export const FD_GROUPS = { heating: 360_001, drainage: 360_002 } as const;

export const FD_AGENTS: readonly FdAgent[] = [
  {
    id: FD_AGENT_ID,
    name: 'Maria Petrova',
    email: 'maria.petrova@example.com',
    language: 'en',
    ticket_scope: 1,
    group_ids: [FD_GROUPS.heating],
  },
  {
    id: FD_RESTRICTED_AGENT_ID,
    name: 'Thomas Berger',
    email: 'thomas.berger@example.com',
    language: 'de',
    ticket_scope: 3,
    group_ids: [FD_GROUPS.drainage],
  },
];

export const FD_CONTACTS: readonly FdContact[] = [
  { id: 10002, name: 'Georgi Ivanov', email: 'georgi.ivanov@example.net', language: 'bg', time_zone: 'Sofia' },
  { id: 10003, name: 'Anna Schmidt', email: 'anna.schmidt@example.org', language: 'de', time_zone: 'Berlin' },
  { id: 10004, name: 'John Carter', email: 'john.carter@example.com', language: 'en', time_zone: 'London' },
];

const CREATED = '2026-11-02T08:15:00Z';

export const FD_TICKETS: readonly FdTicket[] = [
  {
    id: 1201,
    subject: 'Wilo Stratos MAXO: pump runs loud after restart',
    description: 'The circulation pump makes a rattling noise since the heating was switched back on.',
    requester_id: 10002,
    responder_id: FD_AGENT_ID,
    group_id: FD_GROUPS.heating,
    status: 2,
    priority: 2,
    created_at: CREATED,
  },
  {
    id: 1202,
    subject: 'Wilo-Drain TS: float switch does not trigger',
    description: 'The sump pump does not start although the pit is full.',
    requester_id: 10003,
    responder_id: null,
    group_id: FD_GROUPS.drainage,
    status: 2,
    priority: 3,
    created_at: CREATED,
  },
  {
    id: 1203,
    subject: 'Wilo-Yonos PICO: error code E04 on the display',
    description: 'The display shows E04 and the pump stops every few hours.',
    requester_id: 10004,
    responder_id: FD_RESTRICTED_AGENT_ID,
    group_id: FD_GROUPS.drainage,
    status: 2,
    priority: 2,
    created_at: CREATED,
  },
];

export interface ConversationRow {
  id: number;
  ticket_id: number;
  body: string;
  body_text: string;
  private: 0 | 1;
  /** 0 reply, 2 note. */
  source: 0 | 2;
  user_id: number;
  created_at: string;
}

export interface AttachmentRow {
  id: number;
  conversation_id: number;
  ticket_id: number;
  name: string;
  content_type: string;
  size: number;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fd_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fd_conversations (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL, body TEXT NOT NULL, body_text TEXT NOT NULL,
  private INTEGER NOT NULL, source INTEGER NOT NULL, user_id INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fd_conversations_ticket ON fd_conversations(ticket_id, id);
CREATE TABLE IF NOT EXISTS fd_attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INTEGER NOT NULL REFERENCES fd_conversations(id),
  ticket_id INTEGER NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,
  content BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fd_attachments_conversation ON fd_attachments(conversation_id);
CREATE TABLE IF NOT EXISTS fd_custom_field_values (
  ticket_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT, PRIMARY KEY (ticket_id, name));
`;

/** A custom ticket field of the account, as `GET /api/v2/ticket_fields` lists it. */
export interface FdTicketField {
  id: number;
  /** What the API's `custom_fields` key it by: `cf_` and the label in snake case. */
  name: string;
  label: string;
  type: 'custom_text' | 'custom_date' | 'custom_number';
}

/** The nameplate's three (text), and a date field that a plate's free-text date does not fit. */
export const FD_TICKET_FIELDS: readonly FdTicketField[] = [
  { id: 2_043_000_001, name: 'cf_pump_model', label: 'Pump model', type: 'custom_text' },
  { id: 2_043_000_002, name: 'cf_serial_number', label: 'Serial number', type: 'custom_text' },
  { id: 2_043_000_003, name: 'cf_production_date', label: 'Production date', type: 'custom_text' },
  { id: 2_043_000_004, name: 'cf_warranty_until', label: 'Warranty until', type: 'custom_date' },
];

/** Freshdesk's timestamps: seconds, no fraction. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const stripTags = (html: string): string =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

export class FdStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  /** A setting created on first use and kept, so restarts keep the same API key and app secret. */
  setting(key: string, create: () => string): string {
    const row = this.db.prepare('SELECT value FROM fd_settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (row) return row.value;
    const value = create();
    this.db.prepare('INSERT INTO fd_settings (key, value) VALUES (?, ?)').run(key, value);
    return value;
  }

  ticket = (id: number): FdTicket | undefined => FD_TICKETS.find((t) => t.id === id);
  contact = (id: number): FdContact | undefined => FD_CONTACTS.find((c) => c.id === id);
  agent = (id: number): FdAgent | undefined => FD_AGENTS.find((a) => a.id === id);

  conversations(ticketId: number, offset: number, limit: number): ConversationRow[] {
    return this.db
      .prepare('SELECT * FROM fd_conversations WHERE ticket_id = ? ORDER BY id LIMIT ? OFFSET ?')
      .all(ticketId, limit, offset) as ConversationRow[];
  }

  countConversations(ticketId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM fd_conversations WHERE ticket_id = ?').get(ticketId) as { n: number }).n;
  }

  attachments(conversationId: number): AttachmentRow[] {
    return this.db
      .prepare(
        'SELECT id, conversation_id, ticket_id, name, content_type, size, created_at FROM fd_attachments WHERE conversation_id = ? ORDER BY id',
      )
      .all(conversationId) as AttachmentRow[];
  }

  /** What the ticket's files take in all (Freshdesk's 20 MB budget is per ticket, not per note). */
  attachmentBytes(ticketId: number): number {
    return (this.db.prepare('SELECT COALESCE(SUM(size), 0) AS n FROM fd_attachments WHERE ticket_id = ?').get(ticketId) as { n: number }).n;
  }

  add(
    ticketId: number,
    w: { body: string; private: boolean; userId: number; files: IncomingFile[] },
    isNote: boolean,
    now: number,
  ): ConversationRow {
    const at = isoSeconds(now);
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          'INSERT INTO fd_conversations (ticket_id, body, body_text, private, source, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(ticketId, w.body, stripTags(w.body), w.private ? 1 : 0, isNote ? 2 : 0, w.userId, at);
      const id = Number(info.lastInsertRowid);
      const insert = this.db.prepare(
        'INSERT INTO fd_attachments (conversation_id, ticket_id, name, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const f of w.files) insert.run(id, ticketId, f.name, f.contentType, f.data.length, f.data, at);
      return this.db.prepare('SELECT * FROM fd_conversations WHERE id = ?').get(id) as ConversationRow;
    })();
  }

  /** Every custom field of the account with this ticket's value (null when unset), keyed by name. */
  customFields(ticketId: number): Record<string, string | null> {
    const rows = this.db.prepare('SELECT name, value FROM fd_custom_field_values WHERE ticket_id = ?').all(ticketId) as {
      name: string;
      value: string | null;
    }[];
    const set = new Map(rows.map((r) => [r.name, r.value]));
    return Object.fromEntries(FD_TICKET_FIELDS.map((f) => [f.name, set.get(f.name) ?? null]));
  }

  setCustomFields(ticketId: number, values: Record<string, string | null>): void {
    const upsert = this.db.prepare(
      'INSERT INTO fd_custom_field_values (ticket_id, name, value) VALUES (?, ?, ?) ON CONFLICT(ticket_id, name) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(values)) upsert.run(ticketId, name, value);
    })();
  }

  close(): void {
    this.db.close();
  }
}
