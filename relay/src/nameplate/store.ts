import { tables, type Database } from '../db/database.js';
import type { SchemaOwner } from '../db/migrate.js';
import { MAX_NAMEPLATES, type NameplateValues } from '@live-assist/protocol';

/** One confirmed plate of a session: its crop (an upload of purpose `nameplate`) and its values. */
export interface NameplateRecord {
  sessionId: string;
  uploadId: string;
  values: NameplateValues;
  /** First confirmed: the note lists plates in this order. */
  createdAt: number;
  /** Last confirmed (a re-confirm with edited values replaces them). */
  updatedAt: number;
}

export type SaveNameplateResult = { record: NameplateRecord; replaced: boolean } | { full: true };

/** The session's plates, in the database: they outlive the room, a relay restart and a failover. */
export interface NameplateRepository {
  /**
   * Stores the plate, or replaces the values stored under the same upload (a re-confirm, a resend
   * after a drop): one upload is one plate. `{ full }` when the session holds MAX_NAMEPLATES others.
   */
  save(sessionId: string, uploadId: string, values: NameplateValues, now: number): Promise<SaveNameplateResult>;
  /** Oldest first. */
  list(sessionId: string): Promise<NameplateRecord[]>;
}

interface NameplateRow {
  session_id: string;
  upload_id: string;
  model: string | null;
  serial: string | null;
  date: string | null;
  created_at: number;
  updated_at: number;
}

export interface NameplateTables {
  nameplates: NameplateRow;
}

export const nameplateSchema: SchemaOwner = {
  name: 'nameplate',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: "a session's confirmed nameplates, one per crop upload",
      sql: `
        CREATE TABLE nameplates (
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          upload_id TEXT NOT NULL,
          model TEXT,
          serial TEXT,
          date TEXT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (session_id, upload_id)
        )
      `,
    },
    {
      version: 2,
      name: "the ticket fields a Freshdesk installation's settings map the values to, per account",
      sql: `
        CREATE TABLE nameplate_field_maps (
          account TEXT PRIMARY KEY,
          model_field TEXT,
          serial_field TEXT,
          date_field TEXT,
          updated_at BIGINT NOT NULL
        )
      `,
    },
  ],
};

/** Empty values are stored as NULL: "not on the plate" has one spelling. */
const column = (v: string | undefined): string | null => (v && v.length > 0 ? v : null);

function valuesOf(r: Pick<NameplateRow, 'model' | 'serial' | 'date'>): NameplateValues {
  return {
    ...(r.model !== null ? { model: r.model } : {}),
    ...(r.serial !== null ? { serial: r.serial } : {}),
    ...(r.date !== null ? { date: r.date } : {}),
  };
}

const toRecord = (r: NameplateRow): NameplateRecord => ({
  sessionId: r.session_id,
  uploadId: r.upload_id,
  values: valuesOf(r),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function nameplateRepository(database: Database): NameplateRepository {
  const db = tables<NameplateTables>(database);
  return {
    async save(sessionId, uploadId, values, now) {
      return db.transaction().execute(async (trx) => {
        const fields = { model: column(values.model), serial: column(values.serial), date: column(values.date) };
        const existing = await trx
          .selectFrom('nameplates')
          .selectAll()
          .where('session_id', '=', sessionId)
          .where('upload_id', '=', uploadId)
          .executeTakeFirst();
        if (existing) {
          await trx
            .updateTable('nameplates')
            .set({ ...fields, updated_at: now })
            .where('session_id', '=', sessionId)
            .where('upload_id', '=', uploadId)
            .execute();
          return { record: toRecord({ ...existing, ...fields, updated_at: now }), replaced: true };
        }
        const count = await trx
          .selectFrom('nameplates')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('session_id', '=', sessionId)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_NAMEPLATES) return { full: true as const };
        const row: NameplateRow = { session_id: sessionId, upload_id: uploadId, ...fields, created_at: now, updated_at: now };
        // Two relays confirming the same upload at once: the second one's values win, no second row.
        await trx
          .insertInto('nameplates')
          .values(row)
          .onConflict((oc) => oc.columns(['session_id', 'upload_id']).doUpdateSet({ ...fields, updated_at: now }))
          .execute();
        return { record: toRecord(row), replaced: false };
      });
    },
    async list(sessionId) {
      const rows = await db
        .selectFrom('nameplates')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('created_at')
        .orderBy('upload_id')
        .execute();
      return rows.map(toRecord);
    },
  };
}
