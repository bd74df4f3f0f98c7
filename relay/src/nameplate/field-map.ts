import type { NameplateField } from '@live-assist/protocol';
import { tables, type Database } from '../db/database.js';

/** Ticket field names by value; a value without one is not written. */
export type NameplateFieldMap = Partial<Record<NameplateField, string>>;

/**
 * The mapping a Freshdesk installation's settings (iparams) name, as its last app sign-in brought
 * it: one row per helpdesk account, replaced on every sign-in, so the writer follows the admin's
 * settings without the relay being able to read them (no Freshworks API lets a server do that).
 */
export interface NameplateFieldMapRepository {
  replace(account: string, fields: NameplateFieldMap, now: number): Promise<void>;
  /** null: no sign-in has stored one (the relay's FRESHDESK_NAMEPLATE_* apply). */
  get(account: string): Promise<NameplateFieldMap | null>;
}

interface FieldMapRow {
  account: string;
  model_field: string | null;
  serial_field: string | null;
  date_field: string | null;
  updated_at: number;
}

export interface NameplateFieldMapTables {
  nameplate_field_maps: FieldMapRow;
}

/** Accounts are host names: one spelling, whatever the case a caller used. */
const key = (account: string): string => account.trim().toLowerCase();

export function nameplateFieldMapRepository(database: Database): NameplateFieldMapRepository {
  const db = tables<NameplateFieldMapTables>(database);
  return {
    async replace(account, fields, now) {
      const columns = { model_field: fields.model ?? null, serial_field: fields.serial ?? null, date_field: fields.date ?? null };
      await db
        .insertInto('nameplate_field_maps')
        .values({ account: key(account), ...columns, updated_at: now })
        .onConflict((oc) => oc.column('account').doUpdateSet({ ...columns, updated_at: now }))
        .execute();
    },
    async get(account) {
      const row = await db.selectFrom('nameplate_field_maps').selectAll().where('account', '=', key(account)).executeTakeFirst();
      if (!row) return null;
      return {
        ...(row.model_field !== null ? { model: row.model_field } : {}),
        ...(row.serial_field !== null ? { serial: row.serial_field } : {}),
        ...(row.date_field !== null ? { date: row.date_field } : {}),
      };
    },
  };
}
