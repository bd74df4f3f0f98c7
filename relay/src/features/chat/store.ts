import type Database from 'better-sqlite3';
import type { Role } from '@live-assist/protocol';

export interface ChatRecord {
  id: string;
  sessionId: string;
  seq: number;
  clientId: string;
  from: Role;
  senderName: string;
  text: string;
  replyToId: string | null;
  attachmentIds: string[];
  createdAt: number;
}

export type NewChatRecord = Omit<ChatRecord, 'seq'>;

/** The chat log; the relay sequence number is per session and has no gaps. */
export interface ChatRepository {
  /**
   * Stores a message with the session's next seq, or returns the one stored earlier under the
   * same sender and client id (`duplicate: true`): a resend never makes a second message.
   */
  append(message: NewChatRecord, quota?: ChatQuota): Promise<{ record: ChatRecord; duplicate: boolean } | { overQuota: true }>;
  findById(sessionId: string, id: string): Promise<ChatRecord | null>;
  /** Ascending by seq. */
  listAfter(sessionId: string, afterSeq: number, limit: number): Promise<ChatRecord[]>;
}

/** What one session's chat may hold; a new message beyond it is not stored. */
export interface ChatQuota {
  messages: number;
  bytes: number;
}

interface ChatRow {
  id: string;
  session_id: string;
  seq: number;
  client_id: string;
  sender_role: Role;
  sender_name: string;
  text: string;
  reply_to: string | null;
  attachments: string;
  created_at: number;
}

export function migrateChat(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS chat_messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    sender_role TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    text TEXT NOT NULL,
    reply_to TEXT,
    attachments TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (session_id, seq),
    UNIQUE (session_id, sender_role, client_id)
  )`);
}

function parseIds(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const toRecord = (r: ChatRow): ChatRecord => ({
  id: r.id,
  sessionId: r.session_id,
  seq: r.seq,
  clientId: r.client_id,
  from: r.sender_role,
  senderName: r.sender_name,
  text: r.text,
  replyToId: r.reply_to,
  attachmentIds: parseIds(r.attachments),
  createdAt: r.created_at,
});

export function sqliteChatRepository(db: Database.Database): ChatRepository {
  const q = {
    byClientId: db.prepare('SELECT * FROM chat_messages WHERE session_id = ? AND sender_role = ? AND client_id = ?'),
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM chat_messages WHERE session_id = ?'),
    insert: db.prepare(`INSERT INTO chat_messages
      (id, session_id, seq, client_id, sender_role, sender_name, text, reply_to, attachments, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    byId: db.prepare('SELECT * FROM chat_messages WHERE session_id = ? AND id = ?'),
    after: db.prepare('SELECT * FROM chat_messages WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    usage: db.prepare(
      'SELECT COUNT(*) AS messages, COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) AS bytes FROM chat_messages WHERE session_id = ?',
    ),
  };
  // One transaction: the dedupe check, the next seq and the insert cannot interleave.
  const append = db.transaction((m: NewChatRecord, quota?: ChatQuota): { record: ChatRecord; duplicate: boolean } | { overQuota: true } => {
    const existing = q.byClientId.get(m.sessionId, m.from, m.clientId) as ChatRow | undefined;
    if (existing) return { record: toRecord(existing), duplicate: true };
    if (quota) {
      const used = q.usage.get(m.sessionId) as { messages: number; bytes: number };
      if (used.messages + 1 > quota.messages || used.bytes + Buffer.byteLength(m.text, 'utf8') > quota.bytes) return { overQuota: true };
    }
    const seq = (q.lastSeq.get(m.sessionId) as { seq: number }).seq + 1;
    q.insert.run(
      m.id,
      m.sessionId,
      seq,
      m.clientId,
      m.from,
      m.senderName,
      m.text,
      m.replyToId,
      JSON.stringify(m.attachmentIds),
      m.createdAt,
    );
    return { record: { ...m, seq }, duplicate: false };
  });
  return {
    async append(message, quota) {
      return append(message, quota);
    },
    async findById(sessionId, id) {
      const row = q.byId.get(sessionId, id) as ChatRow | undefined;
      return row ? toRecord(row) : null;
    },
    async listAfter(sessionId, afterSeq, limit) {
      return (q.after.all(sessionId, afterSeq, limit) as ChatRow[]).map(toRecord);
    },
  };
}
