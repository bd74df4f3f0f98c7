import { FD_TICKET_FIELDS, type FdTicketField } from './store.js';

/**
 * `PUT /api/v2/tickets/:id` as the relay uses it (custom fields only), with Freshdesk's answers:
 * a JSON body; a key Freshdesk does not take, or a custom field the account does not have, is
 * `invalid_field`; a value the field's type refuses is `datatype_mismatch`/`invalid_value`. Any
 * error refuses the whole update.
 */

export interface TicketUpdateError {
  ok: false;
  status: number;
  body: unknown;
}

export type TicketUpdate = { ok: true; values: Record<string, string | null> } | TicketUpdateError;

const UPDATABLE = new Set(['custom_fields', 'status', 'priority', 'tags']);

const failed = (errors: { field: string; message: string; code: string }[]): TicketUpdateError => ({
  ok: false,
  status: 400,
  body: { description: 'Validation failed', errors },
});

function refusal(field: FdTicketField, value: unknown): { message: string; code: string } | null {
  if (value === null) return null;
  if (field.type === 'custom_number') {
    return Number.isSafeInteger(value) ? null : { message: 'It should be a/an Integer', code: 'datatype_mismatch' };
  }
  if (typeof value !== 'string') return { message: 'It should be a/an String', code: 'datatype_mismatch' };
  if (field.type === 'custom_date' && !(/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))) {
    return { message: 'It should be in the YYYY-MM-DD format', code: 'invalid_value' };
  }
  if (value.length > 255) return { message: 'It should be less than or equal to 255 characters', code: 'invalid_value' };
  return null;
}

/** The custom field values to store, or the error Freshdesk would answer. */
export function readTicketUpdate(contentType: string | undefined, raw: Buffer): TicketUpdate {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    return { ok: false, status: 415, body: { code: 'invalid_content_type', message: 'Content-Type header should have application/json' } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, status: 400, body: { code: 'invalid_json', message: 'Request body has invalid json format' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, status: 400, body: { code: 'invalid_json', message: 'Request body has invalid json format' } };
  }
  const errors: { field: string; message: string; code: string }[] = [];
  for (const key of Object.keys(parsed)) {
    if (!UPDATABLE.has(key)) errors.push({ field: key, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
  }
  const custom = (parsed as Record<string, unknown>).custom_fields ?? {};
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) {
    errors.push({ field: 'custom_fields', message: 'It should be a/an key/value pair', code: 'datatype_mismatch' });
    return failed(errors);
  }
  const values: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(custom)) {
    const field = FD_TICKET_FIELDS.find((f) => f.name === name);
    if (!field) {
      errors.push({ field: name, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
      continue;
    }
    const why = refusal(field, value);
    if (why) errors.push({ field: name, ...why });
    else values[name] = value === null ? null : String(value as string | number);
  }
  return errors.length > 0 ? failed(errors) : { ok: true, values };
}
