import { sql } from 'kysely';
import { Engine, tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
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

export const chatSchema: SchemaOwner = {
  name: 'chat',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: 'chat messages, numbered per session, unique per sender and client id',
      sql: `
        CREATE TABLE chat_messages (
          id TEXT PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          seq BIGINT NOT NULL,
          client_id TEXT NOT NULL,
          sender_role TEXT NOT NULL,
          sender_name TEXT NOT NULL,
          text TEXT NOT NULL,
          reply_to TEXT,
          attachments TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          UNIQUE (session_id, seq),
          UNIQUE (session_id, sender_role, client_id)
        )
      `,
    },
  ],
};

export interface ChatTables {
  chat_messages: ChatRow;
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

export function chatRepository(database: Database): ChatRepository {
  const db = tables<ChatTables & { sessions: { id: string } }>(database);
  const bytes =
    database.engine === Engine.postgres
      ? sql<number>`COALESCE(SUM(octet_length(text)), 0)`
      : sql<number>`COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0)`;
  return {
    // One transaction: the dedupe check, the next seq and the insert cannot interleave. On
    // PostgreSQL, where relays append concurrently, the session row is the lock.
    async append(m, quota) {
      return db.transaction().execute(async (trx) => {
        if (database.engine === Engine.postgres)
          await trx.selectFrom('sessions').select('id').where('id', '=', m.sessionId).forUpdate().execute();
        const existing = await trx
          .selectFrom('chat_messages')
          .selectAll()
          .where('session_id', '=', m.sessionId)
          .where('sender_role', '=', m.from)
          .where('client_id', '=', m.clientId)
          .executeTakeFirst();
        if (existing) return { record: toRecord(existing), duplicate: true };
        const used = await trx
          .selectFrom('chat_messages')
          .select((eb) => [eb.fn.countAll<number>().as('messages'), bytes.as('bytes'), eb.fn.max('seq').as('last')])
          .where('session_id', '=', m.sessionId)
          .executeTakeFirstOrThrow();
        if (quota && (Number(used.messages) + 1 > quota.messages || Number(used.bytes) + Buffer.byteLength(m.text, 'utf8') > quota.bytes)) {
          return { overQuota: true as const };
        }
        const seq = Number(used.last ?? 0) + 1;
        await trx
          .insertInto('chat_messages')
          .values({
            id: m.id,
            session_id: m.sessionId,
            seq,
            client_id: m.clientId,
            sender_role: m.from,
            sender_name: m.senderName,
            text: m.text,
            reply_to: m.replyToId,
            attachments: JSON.stringify(m.attachmentIds),
            created_at: m.createdAt,
          })
          .execute();
        return { record: { ...m, seq }, duplicate: false };
      });
    },
    async findById(sessionId, id) {
      const row = await db
        .selectFrom('chat_messages')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listAfter(sessionId, afterSeq, limit) {
      const rows = await db
        .selectFrom('chat_messages')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}
