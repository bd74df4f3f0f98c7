import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { IceServerSchema, MediaMode, type IceServer } from '@live-assist/protocol';
import { ConfigError } from './errors.js';
import { optional, stripTrailingSlash, blankAsUnset, type Env } from './env.js';
import { parseHelpdeskEnv, parseHelpdeskKind, type HelpdeskConfig, type HelpdeskKind } from './helpdesk.js';
import { parseTrustProxy, type TrustProxy } from './proxy.js';
import { parseOpsEnv, type OpsConfig } from './ops.js';
import { parseSmsEnv, type SmsConfig } from './sms.js';
import { parseTwilioEnv, type TwilioConfig } from './twilio.js';

export { ConfigError } from './errors.js';
export { missingHelpdeskError, HelpdeskKind, type HelpdeskConfig, type ZendeskConfig, type FreshdeskConfig } from './helpdesk.js';
export type { SmsConfig } from './sms.js';
export type { TrustProxy } from './proxy.js';
export { LogFormat, LogLevel, type OpsConfig } from './ops.js';
export type { TwilioConfig } from './twilio.js';

/** Repository root, three levels up from this module (works from src/config under vitest and from dist/config). */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const EnvSchema = z.object({
  PORT: blankAsUnset(z.coerce.number().int().min(0).max(65535).default(8080)),
  PUBLIC_URL: optional(z.url()),
  DATABASE_URL: blankAsUnset(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset: the SQLite file in DATA_DIR)')
      .optional(),
  ),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL (unset: rooms stay in this process)')),
  DATA_DIR: blankAsUnset(z.string().default('./data')),
  INVITE_TTL_HOURS: blankAsUnset(
    z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
  ),
  RELAY_SECRET: optional(z.string().min(32, 'RELAY_SECRET must be at least 32 characters')),
  COMPANY_NAME: blankAsUnset(z.string().default('Wilo')),
  COMPANY_LOGO_URL: optional(z.url()),
  BRAND_COLOR: blankAsUnset(
    z
      .string()
      .regex(/^#[0-9a-fA-F]{3,8}$/, 'BRAND_COLOR must be a hex colour like #009c82')
      .default('#009c82'),
  ),
  POLICY_URL: blankAsUnset(z.url().default('https://wilo.com/en/Privacy-Policy')),
  POLICY_VERSION: blankAsUnset(z.string().min(1).max(64).default('2024-01')),
  EXIT_URL: blankAsUnset(z.url().default('https://www.wilo.com')),
  EXIT_DELAY_SECONDS: blankAsUnset(z.coerce.number().int().min(0).max(60).default(3)),
  /** Per session (photos, stills and snapshots together): a runaway page cannot fill the disk. */
  SESSION_UPLOAD_LIMIT: blankAsUnset(z.coerce.number().int().min(1).max(10_000).default(300)),
  SESSION_UPLOAD_MB: blankAsUnset(z.coerce.number().int().min(1).max(100_000).default(1024)),
  /** Days a session's personal data stays after the session ended and its note settled; 0: at once. */
  RETENTION_DAYS: blankAsUnset(z.coerce.number().int().min(0).max(3650).default(30)),
  /** Days the minimal record (consent, times, note state) and the audit log stay; 3 years. */
  CONSENT_RETENTION_DAYS: blankAsUnset(z.coerce.number().int().min(1).max(36500).default(1095)),
  ICE_SERVERS_JSON: optional(z.string()),
  ZENDESK_APP_DIR: optional(z.string()),
  CUSTOMER_WEB_DIR: optional(z.string()),
});

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
  dataDir: string;
  /** PostgreSQL (`DATABASE_URL`); null: the SQLite file `<dataDir>/relay.sqlite`. */
  databaseUrl: string | null;
  /** Redis (`REDIS_URL`) shared by the relays behind one load balancer; null: rooms stay in this process. */
  redisUrl: string | null;
  inviteTtlHours: number;
  /** null: a random secret is kept in `<dataDir>/relay-secret`. */
  relaySecret: string | null;
  /** Which helpdesk this relay serves (`HELPDESK`, default zendesk), also when none is configured. */
  helpdeskKind: HelpdeskKind;
  /** null: none configured; the caller of startServer supplies one (the development entry point mounts the sandbox). */
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
  /** Which proxies' `X-Forwarded-For` names the client (`TRUST_PROXY`); false: none. */
  trustProxy: TrustProxy;
  /** How long personal data and the consent record are kept (relay/src/privacy). */
  privacy: PrivacyConfig;
  zendeskAppDir: string;
  customerWebDir: string;
  /** Logs, metrics and shutdown (config/ops.ts). */
  ops: OpsConfig;
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

/**
 * Parses the environment; throws ConfigError naming every invalid variable of the first part that
 * fails (general, helpdesk, Twilio, SMS).
 */
export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  if (e.REDIS_URL && (!e.DATABASE_URL || !e.RELAY_SECRET)) {
    // Each relay would otherwise keep its own SQLite file and secret: links and tokens one relay
    // issues would mean nothing to the next.
    throw new ConfigError('REDIS_URL needs DATABASE_URL and RELAY_SECRET: relays that share rooms share one PostgreSQL and one secret');
  }

  const helpdesk = parseHelpdeskEnv(env);
  const twilio = parseTwilioEnv(env);
  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL === undefined ? null : stripTrailingSlash(e.PUBLIC_URL),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    inviteTtlHours: e.INVITE_TTL_HOURS,
    relaySecret: e.RELAY_SECRET ?? null,
    helpdeskKind: parseHelpdeskKind(env),
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
    trustProxy: parseTrustProxy(env),
    privacy: { retentionDays: e.RETENTION_DAYS, consentRetentionDays: e.CONSENT_RETENTION_DAYS },
    zendeskAppDir: e.ZENDESK_APP_DIR ?? `${repoRoot}zendesk-app/dist`,
    customerWebDir: e.CUSTOMER_WEB_DIR ?? `${repoRoot}customer-web/dist`,
    ops: parseOpsEnv(env),
  };
}
