import twilio from 'twilio';
import type { TwilioConfig } from '../../config/twilio.js';

export const VIDEO_TOKEN_MIN_TTL_SECONDS = 60;
export const VIDEO_TOKEN_MAX_TTL_SECONDS = 4 * 60 * 60;

export type VideoToken = {
  token: string;
  identity: string;
  roomName: string;
  ttlSeconds: number;
  expiresAt: Date;
};

/** Clamps to [60 s, 4 h]: a token needs a minute to be usable, and calls never run past 4 h. */
export function clampTokenTtl(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds)) return VIDEO_TOKEN_MIN_TTL_SECONDS;
  return Math.min(VIDEO_TOKEN_MAX_TTL_SECONDS, Math.max(VIDEO_TOKEN_MIN_TTL_SECONDS, Math.floor(ttlSeconds)));
}

/**
 * An access token that admits `identity` to exactly one room. The caller passes the session's
 * remaining life as `ttlSeconds` and must only call this for an authenticated participant of an
 * active session.
 */
export function mintVideoToken(args: {
  config: Pick<TwilioConfig, 'accountSid' | 'apiKeySid' | 'apiKeySecret'>;
  identity: string;
  roomName: string;
  ttlSeconds: number;
  now?: () => number;
}): VideoToken {
  const { config, identity, roomName } = args;
  if (identity.length === 0 || identity.length > 128) throw new Error('Twilio identity must be 1–128 characters');
  if (roomName.length === 0 || roomName.length > 128) throw new Error('Twilio room name must be 1–128 characters');
  const ttlSeconds = clampTokenTtl(args.ttlSeconds);
  const token = new twilio.jwt.AccessToken(config.accountSid, config.apiKeySid, config.apiKeySecret, {
    identity,
    ttl: ttlSeconds,
  });
  // A room-scoped grant: without `room` the token would open any room of the account.
  token.addGrant(new twilio.jwt.AccessToken.VideoGrant({ room: roomName }));
  const issuedAt = args.now?.() ?? Date.now();
  return {
    token: token.toJwt(),
    identity,
    roomName,
    ttlSeconds,
    expiresAt: new Date(Math.floor(issuedAt / 1000) * 1000 + ttlSeconds * 1000),
  };
}
