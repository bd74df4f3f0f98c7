import { NameplateField, type NameplateValues } from '@live-assist/protocol';
import { HelpdeskWriteError, WriteFailure, type TicketFieldsResult } from './types.js';

/** The Zendesk app settings (manifest parameters) in which the admin maps each value to a ticket field id. */
export const ZENDESK_NAMEPLATE_SETTINGS: Record<NameplateField, string> = {
  model: 'nameplate_model_field',
  serial: 'nameplate_serial_field',
  date: 'nameplate_date_field',
};

export const NAMEPLATE_FIELDS: readonly NameplateField[] = [NameplateField.model, NameplateField.serial, NameplateField.date];

/** One value on its way to the ticket field the helpdesk knows it by (an id, a `cf_` name). */
export interface MappedValue<K> {
  field: NameplateField;
  key: K;
  value: string;
}

/**
 * Writes the mapped values together, and when the helpdesk refuses that (a mapped field that does
 * not exist, a value one field will not take) one by one, so one bad mapping costs only its own
 * field. Anything but a refusal of the request (rate limit, 5xx, ticket gone) is thrown: the
 * outbox retries it or records the failure.
 */
export async function writeMapped<K>(
  mapped: readonly MappedValue<K>[],
  refused: TicketFieldsResult['refused'],
  put: (values: readonly MappedValue<K>[]) => Promise<void>,
): Promise<TicketFieldsResult> {
  if (mapped.length === 0) return { written: [], refused };
  try {
    await put(mapped);
    return { written: mapped.map((m) => m.field), refused };
  } catch (error) {
    if (!isFieldRefusal(error)) throw error;
    if (mapped.length === 1) return { written: [], refused: [...refused, { field: mapped[0]!.field, reason: error.message }] };
  }
  const written: NameplateField[] = [];
  const alsoRefused = [...refused];
  for (const m of mapped) {
    try {
      await put([m]);
      written.push(m.field);
    } catch (error) {
      if (!isFieldRefusal(error)) throw error;
      alsoRefused.push({ field: m.field, reason: error.message });
    }
  }
  return { written, refused: alsoRefused };
}

/** 400 and 422: the helpdesk read the request and will not take it (Zendesk RecordInvalid, Freshdesk invalid_field). */
function isFieldRefusal(error: unknown): error is HelpdeskWriteError {
  return (
    error instanceof HelpdeskWriteError &&
    error.kind === WriteFailure.Rejected &&
    (error.details.status === 400 || error.details.status === 422)
  );
}

/** The non-empty values in field order. */
export function presentValues(values: NameplateValues): { field: NameplateField; value: string }[] {
  return NAMEPLATE_FIELDS.flatMap((field) => {
    const value = values[field]?.trim();
    return value ? [{ field, value }] : [];
  });
}
