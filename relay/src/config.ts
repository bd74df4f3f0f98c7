import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { IceServerSchema, MediaMode, type IceServer } from '@live-assist/protocol';
import { parseTwilioEnv, type TwilioConfig } from './media/twilio/config.js';
import { parseSmsEnv, type SmsConfig } from './delivery/sms-config.js';

/** Repository root, two levels up from this module (works from src/ under vitest and from dist/). */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const optionalUrl = z.preprocess(blankToUndefined, z.url().optional());

const EnvSchema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  PUBLIC_URL: optionalUrl,
  /** Sandbox mode only: the address to listen on (a phone on the LAN needs 0.0.0.0). */
  SANDBOX_HOST: z.preprocess(blankToUndefined, z.string().min(1).max(255).default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset: the SQLite file in DATA_DIR)')
      .optional(),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  INVITE_TTL_HOURS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
  ),
  RELAY_SECRET: z.preprocess(blankToUndefined, z.string().min(32, 'RELAY_SECRET must be at least 32 characters').optional()),
  HELPDESK_URL: optionalUrl,
  HELPDESK_EMAIL: optionalString,
  HELPDESK_API_TOKEN: optionalString,
  /** OAuth access token (scopes read write); replaces HELPDESK_EMAIL + HELPDESK_API_TOKEN. */
  HELPDESK_OAUTH_TOKEN: optionalString,
  ZENDESK_APP_ID: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  ZENDESK_INSTALLATION_ID: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  COMPANY_NAME: z.preprocess(blankToUndefined, z.string().default('Wilo')),
  COMPANY_LOGO_URL: optionalUrl,
  BRAND_COLOR: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^#[0-9a-fA-F]{3,8}$/, 'BRAND_COLOR must be a hex colour like #009c82')
      .default('#009c82'),
  ),
  POLICY_URL: z.preprocess(blankToUndefined, z.url().default('https://wilo.com/en/Privacy-Policy')),
  POLICY_VERSION: z.preprocess(blankToUndefined, z.string().min(1).max(64).default('2024-01')),
  EXIT_URL: z.preprocess(blankToUndefined, z.url().default('https://www.wilo.com')),
  EXIT_DELAY_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(60).default(3)),
  /** Per session (photos, stills and snapshots together): a runaway page cannot fill the disk. */
  SESSION_UPLOAD_LIMIT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).default(300)),
  SESSION_UPLOAD_MB: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1024)),
  /** Days a session's personal data stays after the session ended and its note settled; 0: at once. */
  RETENTION_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(3650).default(30)),
  /** Days the minimal record (consent, times, note state) and the audit log stay; 3 years. */
  CONSENT_RETENTION_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(36500).default(1095)),
  ICE_SERVERS_JSON: optionalString,
  ZENDESK_APP_DIR: optionalString,
  CUSTOMER_WEB_DIR: optionalString,
});

/** Credentials for the helpdesk REST API and the app whose signed URLs we verify. */
export interface HelpdeskConfig {
  baseUrl: string;
  email: string;
  apiToken: string;
  /** When set, REST calls use this OAuth bearer token instead of email + API token. */
  oauthToken?: string;
  appId: number;
  installationId: number;
}

export interface BrandingConfig {
  companyName: string;
  logoUrl: string | null;
  primaryColor: string;
  policyUrl: string;
  policyVersion: string;
  exitUrl: string;
  exitDelaySeconds: number;
}

export interface UploadQuota {
  files: number;
  bytes: number;
}

export interface PrivacyConfig {
  retentionDays: number;
  consentRetentionDays: number;
}

export interface Config {
  port: number;
  /** null: `http://localhost:<listening port>`, resolved once the server listens (port 0 in tests). */
  publicUrl: string | null;
  /** Listen address when the sandbox is mounted (no helpdesk configured); default loopback only. */
  sandboxHost: string;
  dataDir: string;
  /** PostgreSQL (`DATABASE_URL`); null: the SQLite file `<dataDir>/relay.sqlite`. */
  databaseUrl: string | null;
  inviteTtlHours: number;
  /** null: a random secret is kept in `<dataDir>/relay-secret`. */
  relaySecret: string | null;
  /** null: sandbox mode (the local helpdesk stand-in is mounted and used). */
  helpdesk: HelpdeskConfig | null;
  branding: BrandingConfig;
  iceServers: IceServer[];
  /** `twilio`: calls run in Twilio Video rooms; `p2p`: browser to browser (TURN from Twilio NTS when credentials are set). */
  mediaMode: MediaMode;
  /** null: no Twilio credentials (pure P2P with the configured ICE servers). */
  twilio: TwilioConfig | null;
  /** Invite links by SMS (Twilio Messaging); null: not offered. */
  sms: SmsConfig | null;
  /** What one session may upload in all. */
  uploadQuota: UploadQuota;
  /** How long personal data and the consent record are kept (relay/src/privacy). */
  privacy: PrivacyConfig;
  zendeskAppDir: string;
  customerWebDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const HELPDESK_VARS = ['HELPDESK_URL', 'HELPDESK_EMAIL', 'HELPDESK_API_TOKEN', 'ZENDESK_APP_ID', 'ZENDESK_INSTALLATION_ID'] as const;

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseIceServers(json: string | undefined): IceServer[] {
  if (json === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('ICE_SERVERS_JSON is not valid JSON');
  }
  const parsed = z.array(IceServerSchema).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`ICE_SERVERS_JSON: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Parses the environment; throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;

  const oauth = e.HELPDESK_OAUTH_TOKEN;
  const setVars = HELPDESK_VARS.filter((name) => e[name] !== undefined);
  let helpdesk: HelpdeskConfig | null = null;
  if (setVars.length > 0 || oauth !== undefined) {
    // An OAuth token stands in for the email + API token pair.
    const required =
      oauth === undefined ? HELPDESK_VARS : HELPDESK_VARS.filter((n) => n !== 'HELPDESK_EMAIL' && n !== 'HELPDESK_API_TOKEN');
    const missing = required.filter((name) => e[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        `Helpdesk configuration is incomplete: ${setVars.join(', ')} set but ${missing.join(', ')} missing. ` +
          'Set all of them to use a real helpdesk, or none to run with the local sandbox.',
      );
    }
    helpdesk = {
      baseUrl: stripTrailingSlash(e.HELPDESK_URL!),
      email: e.HELPDESK_EMAIL ?? '',
      apiToken: e.HELPDESK_API_TOKEN ?? '',
      ...(oauth === undefined ? {} : { oauthToken: oauth }),
      appId: e.ZENDESK_APP_ID!,
      installationId: e.ZENDESK_INSTALLATION_ID!,
    };
  }

  const twilio = parseTwilioEnv(env);
  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL === undefined ? null : stripTrailingSlash(e.PUBLIC_URL),
    sandboxHost: e.SANDBOX_HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    inviteTtlHours: e.INVITE_TTL_HOURS,
    relaySecret: e.RELAY_SECRET ?? null,
    helpdesk,
    branding: {
      companyName: e.COMPANY_NAME,
      logoUrl: e.COMPANY_LOGO_URL ?? null,
      primaryColor: e.BRAND_COLOR,
      policyUrl: e.POLICY_URL,
      policyVersion: e.POLICY_VERSION,
      exitUrl: e.EXIT_URL,
      exitDelaySeconds: e.EXIT_DELAY_SECONDS,
    },
    iceServers: parseIceServers(e.ICE_SERVERS_JSON),
    mediaMode: twilio?.mediaMode ?? MediaMode.p2p,
    twilio,
    sms: parseSmsEnv(env, twilio),
    uploadQuota: { files: e.SESSION_UPLOAD_LIMIT, bytes: e.SESSION_UPLOAD_MB * 1024 * 1024 },
    privacy: { retentionDays: e.RETENTION_DAYS, consentRetentionDays: e.CONSENT_RETENTION_DAYS },
    zendeskAppDir: e.ZENDESK_APP_DIR ?? `${repoRoot}zendesk-app/dist`,
    customerWebDir: e.CUSTOMER_WEB_DIR ?? `${repoRoot}customer-web/dist`,
  };
}
