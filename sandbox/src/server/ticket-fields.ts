import express from 'express';
import type { Router } from 'express';
import { z } from 'zod';
import type { Db } from './db.js';
import type { Installation } from './installation.js';
import { RecordInvalid } from './store.js';

/**
 * The account's custom ticket fields and each ticket's values of them, as strict as Zendesk where
 * the relay could get it wrong: a custom field id the account does not have, or a value the
 * field's type does not take, fails the whole ticket update with 422 (nothing of it is stored).
 */

export type FieldType = 'text' | 'date' | 'integer';

export interface TicketField {
  id: number;
  title: string;
  type: FieldType;
}

/** Seeded fields: the nameplate's three, and a date field a plate's free-text date does not fit. */
export const SANDBOX_TICKET_FIELDS = {
  model: { id: 360_010_000_001, title: 'Pump model', type: 'text' },
  serial: { id: 360_010_000_002, title: 'Serial number', type: 'text' },
  productionDate: { id: 360_010_000_003, title: 'Production date', type: 'text' },
  warrantyUntil: { id: 360_010_000_004, title: 'Warranty until', type: 'date' },
} as const satisfies Record<string, TicketField>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ticket_fields (id INTEGER PRIMARY KEY, title TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ticket_field_values (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id), field_id INTEGER NOT NULL REFERENCES ticket_fields(id),
  value TEXT, PRIMARY KEY (ticket_id, field_id));
`;

export const CustomFieldsSchema = z
  .array(z.object({ id: z.number().int().positive(), value: z.union([z.string().max(65_536), z.number(), z.boolean(), z.null()]) }))
  .max(200);
export type CustomFieldsInput = z.infer<typeof CustomFieldsSchema>;

/** Why Zendesk would refuse this value for a field of that type; null when it takes it. */
function refusal(field: TicketField, value: string | number | boolean | null): string | null {
  if (value === null || value === '') return null;
  if (field.type === 'text') return typeof value === 'string' ? null : `${field.title}: is not a text value`;
  if (field.type === 'integer') return /^-?\d{1,18}$/.test(String(value)) ? null : `${field.title}: is not a number`;
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? null : `${field.title}: is not a valid date (YYYY-MM-DD)`;
}

export class TicketFields {
  constructor(private readonly db: Db) {
    db.exec(SCHEMA);
    const insert = db.prepare('INSERT OR IGNORE INTO ticket_fields (id, title, type) VALUES (?, ?, ?)');
    for (const f of Object.values(SANDBOX_TICKET_FIELDS)) insert.run(f.id, f.title, f.type);
  }

  list(): TicketField[] {
    return this.db.prepare('SELECT id, title, type FROM ticket_fields ORDER BY id').all() as TicketField[];
  }

  /** Every field with this ticket's value (null when unset), as Zendesk lists them on a ticket. */
  valuesOf(ticketId: number): { id: number; value: string | null }[] {
    const set = new Map(
      (
        this.db.prepare('SELECT field_id, value FROM ticket_field_values WHERE ticket_id = ?').all(ticketId) as {
          field_id: number;
          value: string | null;
        }[]
      ).map((r) => [r.field_id, r.value]),
    );
    return this.list().map((f) => ({ id: f.id, value: set.get(f.id) ?? null }));
  }

  /** Throws RecordInvalid before anything is stored when one entry is not acceptable. */
  check(input: CustomFieldsInput): void {
    const fields = new Map(this.list().map((f) => [f.id, f]));
    for (const { id, value } of input) {
      const field = fields.get(id);
      if (!field) throw new RecordInvalid(`Custom field ${id} is not a ticket field of this account`);
      const why = refusal(field, value);
      if (why) throw new RecordInvalid(why);
    }
  }

  set(ticketId: number, input: CustomFieldsInput): void {
    const upsert = this.db.prepare(
      'INSERT INTO ticket_field_values (ticket_id, field_id, value) VALUES (?, ?, ?) ON CONFLICT(ticket_id, field_id) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const { id, value } of input) upsert.run(ticketId, id, value === null || value === '' ? null : String(value));
    })();
  }
}

/** Zendesk returns settings as the admin saved them: strings, numbers or booleans. */
const SettingsUpdate = z.object({
  settings: z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])),
});

/**
 * `GET /ticket_fields.json`, and Show / Update App Installation for the installed app: its settings
 * are what the relay reads the admin's field mapping from (the e2e maps the serial field with a PUT).
 */
export function ticketFieldsApi(fields: TicketFields, installation: Installation, ids: { appId: number; installationId: number }): Router {
  const r = express.Router();
  r.get('/ticket_fields.json', (_req, res) => {
    const list = fields.list();
    res.json({
      ticket_fields: list.map((f) => ({ id: f.id, type: f.type, title: f.title, raw_title: f.title, active: true, removable: true })),
      next_page: null,
      previous_page: null,
      count: list.length,
    });
  });
  const installationJson = () => ({
    id: ids.installationId,
    app_id: ids.appId,
    product: 'support',
    enabled: true,
    settings: { ...installation.settings },
  });
  const mine = (raw: string) => raw === String(ids.installationId);
  r.get('/apps/installations/:id.json', (req, res) => {
    if (!mine(req.params.id)) return void res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    res.json(installationJson());
  });
  r.put('/apps/installations/:id.json', express.json({ limit: '100kb' }), (req, res) => {
    if (!mine(req.params.id)) return void res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    const body = SettingsUpdate.safeParse(req.body);
    if (!body.success) {
      return void res.status(400).json({ error: 'InvalidParameters', description: 'Invalid request', details: z.flattenError(body.error) });
    }
    for (const [key, value] of Object.entries(body.data.settings)) {
      // A null (or empty) setting is an unset one.
      if (value === null || value === '') delete installation.settings[key];
      else installation.settings[key] = String(value);
    }
    res.json(installationJson());
  });
  return r;
}
