import type { SmsStatusView } from '@live-assist/protocol';
import { Engine, tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { failedStatus, smsState, statusRank } from './sms-status.js';

/**
 * Invite texts, one row per attempt: the per-session cap counts them, and Twilio's status
 * callbacks (which may reach any relay) update the row the sidebar (polling any relay) reads.
 * Only the masked number is kept (`+44 ••• ••• 123`); the message SID points into Twilio's log.
 */
export const deliverySchema: SchemaOwner = {
  name: 'delivery',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: 'invite texts and their delivery status',
      sql: (t) => `
        CREATE TABLE invite_sms (
          id ${t.serial},
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          requested_at BIGINT NOT NULL,
          message_sid TEXT UNIQUE,
          sent_to TEXT,
          sent_at BIGINT,
          status TEXT,
          status_rank BIGINT,
          error_code BIGINT
        );
        CREATE INDEX invite_sms_by_session ON invite_sms (session_id, sent_at);
      `,
    },
  ],
};

interface InviteSmsRow {
  id: number;
  session_id: string;
  requested_at: number;
  /** Null until Twilio accepted the message (and for good when it refused it). */
  message_sid: string | null;
  sent_to: string | null;
  sent_at: number | null;
  status: string | null;
  status_rank: number | null;
  error_code: number | null;
}

export interface DeliveryTables {
  invite_sms: Omit<InviteSmsRow, 'id'> & { id?: number };
  sessions: { id: string };
}

/** One invite text Twilio accepted. */
export interface InviteSms {
  messageSid: string;
  /** Masked, as the sidebar shows it. */
  to: string;
  sentAt: number;
  /** Twilio's latest status (`queued` until a callback says more). */
  status: string;
  errorCode: number | null;
}

export interface InviteSmsStore {
  /**
   * Counts one attempt to text the session's customer, unless it has had `max` already (on any
   * relay): the attempt's id, or null. An attempt counts whether or not Twilio takes it.
   */
  reserve(sessionId: string, max: number, at: number): Promise<number | null>;
  /** Twilio accepted attempt `id` as `messageSid` (it answered `queued`/`accepted`). */
  accepted(id: number, sms: { messageSid: string; to: string; sentAt: number }): Promise<void>;
  /** Applies a status callback; false when ignored (unknown message or status, duplicate, out of order). */
  applyStatus(messageSid: string, status: string, errorCode: number | null): Promise<boolean>;
  /** What the sidebar shows: the session's latest text that Twilio accepted. */
  viewOf(sessionId: string): Promise<SmsStatusView>;
  /** Every text of the session that Twilio accepted, oldest first (for an access request). */
  listForSession(sessionId: string): Promise<InviteSms[]>;
}

const sent = (r: InviteSmsRow): InviteSms | null =>
  r.message_sid !== null && r.sent_to !== null && r.sent_at !== null && r.status !== null
    ? { messageSid: r.message_sid, to: r.sent_to, sentAt: r.sent_at, status: r.status, errorCode: r.error_code }
    : null;

export function inviteSmsStore(database: Database): InviteSmsStore {
  const db = tables<DeliveryTables>(database);
  const acceptedOf = (sessionId: string) =>
    db
      .selectFrom('invite_sms')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('message_sid', 'is not', null)
      .orderBy('sent_at')
      .orderBy('id');
  return {
    // One transaction: the count and the insert cannot interleave. On PostgreSQL, where relays
    // send concurrently, the session row is the lock (as for chat's sequence numbers).
    async reserve(sessionId, max, at) {
      return db.transaction().execute(async (trx) => {
        if (database.engine === Engine.postgres)
          await trx.selectFrom('sessions').select('id').where('id', '=', sessionId).forUpdate().execute();
        const used = await trx
          .selectFrom('invite_sms')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('session_id', '=', sessionId)
          .executeTakeFirstOrThrow();
        if (Number(used.n) >= max) return null;
        const row = await trx
          .insertInto('invite_sms')
          .values({ session_id: sessionId, requested_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        return Number(row.id);
      });
    },
    async accepted(id, sms) {
      await db
        .updateTable('invite_sms')
        .set({
          message_sid: sms.messageSid,
          sent_to: sms.to,
          sent_at: sms.sentAt,
          status: 'queued',
          status_rank: statusRank('queued') ?? 0,
        })
        .where('id', '=', id)
        .execute();
    },
    // One conditional update: two relays receiving callbacks of one message at once cannot move
    // it backwards, whichever commits last.
    async applyStatus(messageSid, status, errorCode) {
      const rank = statusRank(status);
      if (rank === undefined) return false;
      const result = await db
        .updateTable('invite_sms')
        .set({ status, status_rank: rank, error_code: failedStatus(status) ? errorCode : null })
        .where('message_sid', '=', messageSid)
        .where('status_rank', '<', rank)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async viewOf(sessionId) {
      const row = await acceptedOf(sessionId).clearOrderBy().orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      const sms = row ? sent(row as InviteSmsRow) : null;
      if (!sms) return { sms: null };
      return { sms: { state: smsState(sms.status), to: sms.to, sentAt: new Date(sms.sentAt).toISOString(), errorCode: sms.errorCode } };
    },
    async listForSession(sessionId) {
      const rows = await acceptedOf(sessionId).execute();
      return rows.flatMap((r) => sent(r as InviteSmsRow) ?? []);
    },
  };
}
