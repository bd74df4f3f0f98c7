import { z } from 'zod';
import { ConfigError } from './errors.js';
import { blankAsUnset, optional, stripTrailingSlash, type Env } from './env.js';
import { FRESHDESK_VARS, parseFreshdeskEnv, type FreshdeskConfig } from './freshdesk.js';

export type { FreshdeskConfig } from './freshdesk.js';

/** Which helpdesk the relay serves (`HELPDESK`). */
export const HelpdeskKind = { zendesk: 'zendesk', freshdesk: 'freshdesk' } as const;
export type HelpdeskKind = (typeof HelpdeskKind)[keyof typeof HelpdeskKind];

/** Zendesk: credentials for the REST API and the app whose signed URLs we verify. */
export interface ZendeskConfig {
  /** Optional: a Zendesk configuration of old (and the sandbox's) carries none. */
  kind?: 'zendesk';
  baseUrl: string;
  email: string;
  apiToken: string;
  /** When set, REST calls use this OAuth bearer token instead of email + API token. */
  oauthToken?: string;
  appId: number;
  installationId: number;
}

/** One helpdesk account the relay serves; `kind` tells them apart (absent: Zendesk). */
export type HelpdeskConfig = ZendeskConfig | FreshdeskConfig;

const KindSchema = z.object({
  HELPDESK: blankAsUnset(z.enum([HelpdeskKind.zendesk, HelpdeskKind.freshdesk]).default(HelpdeskKind.zendesk)),
});

const HelpdeskEnvSchema = z.object({
  HELPDESK_URL: optional(z.url()),
  HELPDESK_EMAIL: optional(z.string()),
  HELPDESK_API_TOKEN: optional(z.string()),
  /** OAuth access token (scopes read write); replaces HELPDESK_EMAIL + HELPDESK_API_TOKEN. */
  HELPDESK_OAUTH_TOKEN: optional(z.string()),
  ZENDESK_APP_ID: optional(z.coerce.number().int().positive()),
  ZENDESK_INSTALLATION_ID: optional(z.coerce.number().int().positive()),
});

export const HELPDESK_VARS = ['HELPDESK_URL', 'HELPDESK_EMAIL', 'HELPDESK_API_TOKEN', 'ZENDESK_APP_ID', 'ZENDESK_INSTALLATION_ID'] as const;

/** `HELPDESK`: zendesk (the default) or freshdesk. */
export function parseHelpdeskKind(env: Env): HelpdeskKind {
  const parsed = KindSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid helpdesk configuration:\n${z.prettifyError(parsed.error)}`);
  return parsed.data.HELPDESK;
}

/**
 * Reads the helpdesk part of the environment for the kind `HELPDESK` names: null when none of its
 * variables is set; throws ConfigError on a half-set configuration, naming what is missing, and on
 * variables of the other helpdesk (a relay serves one account; silently ignoring them would hide a
 * wrong HELPDESK).
 */
export function parseHelpdeskEnv(env: Env): HelpdeskConfig | null {
  const kind = parseHelpdeskKind(env);
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  const others = kind === HelpdeskKind.zendesk ? FRESHDESK_VARS.filter(isSet) : [...HELPDESK_VARS, 'HELPDESK_OAUTH_TOKEN'].filter(isSet);
  if (others.length > 0) {
    throw new ConfigError(
      `HELPDESK is ${kind}, but ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} set: a relay serves one helpdesk. ` +
        (kind === HelpdeskKind.zendesk ? 'Set HELPDESK=freshdesk to use Freshdesk.' : 'Unset the Zendesk variables.'),
    );
  }
  return kind === HelpdeskKind.zendesk ? parseZendeskEnv(env) : parseFreshdeskEnv(env);
}

/** The Zendesk variables: null when none is set. */
function parseZendeskEnv(env: Env): ZendeskConfig | null {
  const parsed = HelpdeskEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid helpdesk configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const oauth = e.HELPDESK_OAUTH_TOKEN;
  const setVars = HELPDESK_VARS.filter((name) => e[name] !== undefined);
  if (setVars.length === 0 && oauth === undefined) return null;
  // An OAuth token stands in for the email + API token pair.
  const required = oauth === undefined ? HELPDESK_VARS : HELPDESK_VARS.filter((n) => n !== 'HELPDESK_EMAIL' && n !== 'HELPDESK_API_TOKEN');
  const missing = required.filter((name) => e[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `Helpdesk configuration is incomplete: ${setVars.join(', ')} set but ${missing.join(', ')} missing. ` +
        'Set all of them to use a real helpdesk, or none to run with the local sandbox (npm start).',
    );
  }
  return {
    baseUrl: stripTrailingSlash(e.HELPDESK_URL!),
    email: e.HELPDESK_EMAIL ?? '',
    apiToken: e.HELPDESK_API_TOKEN ?? '',
    ...(oauth === undefined ? {} : { oauthToken: oauth }),
    appId: e.ZENDESK_APP_ID!,
    installationId: e.ZENDESK_INSTALLATION_ID!,
  };
}

/** The relay serves no one without a helpdesk; only the development entry point supplies a stand-in. */
export function missingHelpdeskError(kind: HelpdeskKind = HelpdeskKind.zendesk): ConfigError {
  if (kind === HelpdeskKind.freshdesk) {
    return new ConfigError(
      `No Freshdesk configured: set ${FRESHDESK_VARS.join(', ')} (HELPDESK=freshdesk). ` +
        'For local development, `npm start` runs the relay with the helpdesk sandbox.',
    );
  }
  return new ConfigError(
    `No helpdesk configured: set ${HELPDESK_VARS.join(', ')} ` +
      '(or HELPDESK_OAUTH_TOKEN in place of HELPDESK_EMAIL and HELPDESK_API_TOKEN). ' +
      'For local development, `npm start` runs the relay with the helpdesk sandbox.',
  );
}
