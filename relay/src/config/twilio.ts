import { z } from 'zod';
import { MediaMode } from '@live-assist/protocol';
import { ConfigError } from './errors.js';
import { optional, stripTrailingSlash, blankAsUnset, type Env } from './env.js';

const TwilioEnvSchema = z.object({
  TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits')),
  TWILIO_API_KEY_SID: optional(z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'TWILIO_API_KEY_SID must look like SK followed by 32 hex digits')),
  TWILIO_API_KEY_SECRET: optional(z.string().min(8, 'TWILIO_API_KEY_SECRET looks too short')),
  TWILIO_AUTH_TOKEN: optional(z.string().min(8, 'TWILIO_AUTH_TOKEN looks too short')),
  MEDIA_MODE: optional(z.enum([MediaMode.p2p, MediaMode.twilio])),
  // 2 = customer + specialist; raise it when a supervisor may join.
  // Where the rooms' media servers run; `gll` lets Twilio pick the one nearest the first joiner.
  TWILIO_MEDIA_REGION: blankAsUnset(
    z
      .string()
      .regex(/^[a-z]{2,3}[0-9]?$/, 'TWILIO_MEDIA_REGION must be a Twilio region id such as gll, de1, ie1 or us1')
      .default('gll'),
  ),
  TWILIO_MAX_PARTICIPANTS: blankAsUnset(z.coerce.number().int().min(2).max(50).default(2)),
  /** Public origin Twilio can reach for status callbacks; falls back to PUBLIC_URL. */
  TWILIO_WEBHOOK_BASE_URL: optional(z.url()),
  PUBLIC_URL: optional(z.url()),
});

/** The four credentials belong together: API key for REST and tokens, auth token for webhook signatures. */
export const TWILIO_CREDENTIAL_VARS = ['TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_AUTH_TOKEN'] as const;

export interface TwilioConfig {
  /** Calls run on Twilio Video (`twilio`) or peer-to-peer with Twilio only supplying TURN (`p2p`). */
  mediaMode: MediaMode;
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** Account auth token: Twilio signs status callbacks with it. */
  authToken: string;
  maxParticipants: number;
  /** Twilio media region of the rooms (default `gll`). */
  mediaRegion: string;
  /**
   * Origin (and optional path prefix) under which Twilio reaches the relay, no trailing slash.
   * null: Twilio cannot call back (local development), rooms are created without a status callback.
   */
  webhookBaseUrl: string | null;
}

/**
 * Reads the Twilio part of the environment. Returns null when no Twilio credential is set (pure
 * P2P with configured ICE servers); throws ConfigError on half-set credentials, on
 * `MEDIA_MODE=twilio` without credentials, or on malformed values.
 */
export function parseTwilioEnv(env: Env): TwilioConfig | null {
  const parsed = TwilioEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid Twilio configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const set = TWILIO_CREDENTIAL_VARS.filter((name) => e[name] !== undefined);
  const missing = TWILIO_CREDENTIAL_VARS.filter((name) => e[name] === undefined);

  if (set.length === 0) {
    if (e.MEDIA_MODE === MediaMode.twilio) {
      throw new ConfigError(
        `MEDIA_MODE=twilio needs Twilio credentials: set ${TWILIO_CREDENTIAL_VARS.join(', ')}, ` + 'or use MEDIA_MODE=p2p.',
      );
    }
    return null;
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Twilio configuration is incomplete: ${set.join(', ')} set but ${missing.join(', ')} missing. ` +
        'Set all of them to use Twilio, or none to run peer-to-peer.',
    );
  }
  const base = e.TWILIO_WEBHOOK_BASE_URL ?? e.PUBLIC_URL;
  return {
    mediaMode: e.MEDIA_MODE ?? MediaMode.twilio,
    accountSid: e.TWILIO_ACCOUNT_SID!,
    apiKeySid: e.TWILIO_API_KEY_SID!,
    apiKeySecret: e.TWILIO_API_KEY_SECRET!,
    authToken: e.TWILIO_AUTH_TOKEN!,
    maxParticipants: e.TWILIO_MAX_PARTICIPANTS,
    mediaRegion: e.TWILIO_MEDIA_REGION,
    webhookBaseUrl: base === undefined ? null : stripTrailingSlash(base),
  };
}
