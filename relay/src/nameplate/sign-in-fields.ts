import type { NameplateField } from '@live-assist/protocol';
import { z } from 'zod';
import { CustomFieldName } from '../config/freshdesk.js';
import type { Logger } from '../logger.js';
import { NAMEPLATE_FIELDS } from '../writeback/ticket-fields.js';
import type { NameplateFieldMap, NameplateFieldMapRepository } from './field-map.js';

/**
 * The headers the Freshdesk app's `laSignIn` template adds from the installation's iparams.
 * Freshworks renders them server-side, next to the secret's Authorization header, so once the
 * secret is checked they are the admin's settings, not something the agent's browser chose.
 */
export const NAMEPLATE_FIELD_HEADERS: Record<NameplateField, string> = {
  model: 'x-live-assist-nameplate-model',
  serial: 'x-live-assist-nameplate-serial',
  date: 'x-live-assist-nameplate-date',
};

/** Empty (an unset iparam renders as nothing): unmapped; anything else must be a `cf_` name. */
const HeaderValue = z.union([
  z
    .string()
    .trim()
    .length(0)
    .transform(() => null),
  CustomFieldName,
]);

/**
 * The mapping the sign-in carries, or null when it carries none of the headers (an app version
 * from before the setting): then the stored mapping, or the relay's env fallback, stays. A value
 * that is no custom field name leaves its field unmapped, with a warning: never a refused sign-in.
 */
export function fieldMapFromHeaders(header: (name: string) => string | undefined, account: string, log: Logger): NameplateFieldMap | null {
  if (NAMEPLATE_FIELDS.every((f) => header(NAMEPLATE_FIELD_HEADERS[f]) === undefined)) return null;
  const map: NameplateFieldMap = {};
  for (const field of NAMEPLATE_FIELDS) {
    const value = header(NAMEPLATE_FIELD_HEADERS[field]) ?? '';
    const parsed = HeaderValue.safeParse(value);
    if (!parsed.success) {
      log.warn(
        `app sign-in for ${account}: the ${field} setting ${JSON.stringify(value.slice(0, 100))} is no custom ticket field name ` +
          `(like cf_serial_number); ${field} is not written`,
      );
      continue;
    }
    if (parsed.data !== null) map[field] = parsed.data;
  }
  return map;
}

/** What the app sign-in calls once the secret is checked: stores the account's mapping, never throws. */
export function nameplateMappingOnSignIn(deps: {
  store: Pick<NameplateFieldMapRepository, 'replace'>;
  now: () => number;
  log: Logger;
}): (account: string, header: (name: string) => string | undefined) => Promise<void> {
  return async (account, header) => {
    const map = fieldMapFromHeaders(header, account, deps.log);
    if (map === null) return;
    try {
      await deps.store.replace(account, map, deps.now());
    } catch (error) {
      // The agent can still work; the writer keeps the mapping stored before.
      deps.log.warn(`app sign-in for ${account}: the nameplate field mapping was not stored: ${(error as Error).message}`);
    }
  };
}
