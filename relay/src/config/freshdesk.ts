import type { NameplateField } from '@live-assist/protocol';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { optional, type Env } from './env.js';

/** A Freshdesk account: its REST API (API key) and the app installation's shared secret. */
export interface FreshdeskConfig {
  kind: 'freshdesk';
  /** Origin of the account's API, e.g. https://wilo.freshdesk.com (a stand-in's http:// origin in tests). */
  baseUrl: string;
  /** The account's host (wilo.freshdesk.com): agent sessions are scoped to it. */
  domain: string;
  /** An agent's API key; Basic auth `apiKey:X`. */
  apiKey: string;
  /**
   * The secret the Freshdesk app's request templates send (a secure iparam, injected by
   * Freshworks' proxy). Freshworks signs no agent identity; this proves "this installation".
   */
  appSecret: string;
  /**
   * Custom ticket fields (`cf_…` names) the confirmed nameplate values are written to; a value
   * without one is not written. The fallback only: once the app has signed in with the mapping
   * from its iparams (headers its request template renders server-side), that stored mapping is
   * used instead (relay/src/nameplate/field-map.ts).
   */
  nameplateFields?: Partial<Record<NameplateField, string>>;
}

/** A bare host name (wilo.freshdesk.com), optionally with a port for a stand-in. */
const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i;

/** A custom ticket field's API name: Freshdesk prefixes every one with `cf_`. */
export const CustomFieldName = z
  .string()
  .trim()
  .regex(/^cf_[a-z0-9_]{1,100}$/, 'must be a custom ticket field name like cf_serial_number (GET /api/v2/ticket_fields lists them)');

const FreshdeskEnvSchema = z.object({
  /** wilo.freshdesk.com, or an http(s) origin (a stand-in on loopback). */
  FRESHDESK_DOMAIN: optional(
    z
      .string()
      .trim()
      .refine((v) => HOST.test(v) || /^https?:\/\/[^/?#]+\/?$/i.test(v), 'FRESHDESK_DOMAIN must be a host name like wilo.freshdesk.com'),
  ),
  FRESHDESK_API_KEY: optional(z.string().trim().min(1)),
  FRESHDESK_NAMEPLATE_MODEL_FIELD: optional(CustomFieldName),
  FRESHDESK_NAMEPLATE_SERIAL_FIELD: optional(CustomFieldName),
  FRESHDESK_NAMEPLATE_DATE_FIELD: optional(CustomFieldName),
  FRESHDESK_APP_SECRET: optional(
    z.string().min(32, 'FRESHDESK_APP_SECRET must be at least 32 characters (the app installation sends it as a secure iparam)'),
  ),
});

export const FRESHDESK_VARS = ['FRESHDESK_DOMAIN', 'FRESHDESK_API_KEY', 'FRESHDESK_APP_SECRET'] as const;

/** `https://host` for a bare host, the origin for a URL; the domain is its host. */
function originOf(domain: string): { baseUrl: string; host: string } {
  const url = new URL(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`);
  return { baseUrl: url.origin, host: url.host.toLowerCase() };
}

/** The Freshdesk variables: null when none is set; ConfigError naming what is missing when only some are. */
export function parseFreshdeskEnv(env: Env): FreshdeskConfig | null {
  const parsed = FreshdeskEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid Freshdesk configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const setVars = FRESHDESK_VARS.filter((name) => e[name] !== undefined);
  if (setVars.length === 0) return null;
  const missing = FRESHDESK_VARS.filter((name) => e[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `Freshdesk configuration is incomplete: ${setVars.join(', ')} set but ${missing.join(', ')} missing. ` +
        'Set all of them to use a real Freshdesk, or none to run with the local sandbox (npm start).',
    );
  }
  const { baseUrl, host } = originOf(e.FRESHDESK_DOMAIN!);
  const nameplateFields = {
    ...(e.FRESHDESK_NAMEPLATE_MODEL_FIELD ? { model: e.FRESHDESK_NAMEPLATE_MODEL_FIELD } : {}),
    ...(e.FRESHDESK_NAMEPLATE_SERIAL_FIELD ? { serial: e.FRESHDESK_NAMEPLATE_SERIAL_FIELD } : {}),
    ...(e.FRESHDESK_NAMEPLATE_DATE_FIELD ? { date: e.FRESHDESK_NAMEPLATE_DATE_FIELD } : {}),
  };
  return {
    kind: 'freshdesk',
    baseUrl,
    domain: host,
    apiKey: e.FRESHDESK_API_KEY!,
    appSecret: e.FRESHDESK_APP_SECRET!,
    ...(Object.keys(nameplateFields).length > 0 ? { nameplateFields } : {}),
  };
}
