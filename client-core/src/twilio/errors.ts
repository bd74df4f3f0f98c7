/** Twilio Video error codes turned into stable keys the UIs translate (never Twilio's English text). */

export const TwilioErrorKey = {
  tokenExpired: 'twilio.token-expired',
  tokenInvalid: 'twilio.token-invalid',
  roomFull: 'twilio.room-full',
  roomCompleted: 'twilio.room-completed',
  maxDuration: 'twilio.max-duration',
  duplicateIdentity: 'twilio.duplicate-identity',
  signaling: 'twilio.signaling',
  media: 'twilio.media',
  unsupported: 'twilio.unsupported-browser',
  generic: 'twilio.generic',
} as const;
export type TwilioErrorKey = (typeof TwilioErrorKey)[keyof typeof TwilioErrorKey];

/** English fallback text for each key (the apps' translation files should carry these). */
export const TWILIO_ERROR_MESSAGES: Record<TwilioErrorKey, string> = {
  [TwilioErrorKey.tokenExpired]: 'The call link has timed out. Reload the page to join again.',
  [TwilioErrorKey.tokenInvalid]: 'This call could not be authorised. Reload the page to try again.',
  [TwilioErrorKey.roomFull]: 'This call already has the maximum number of participants.',
  [TwilioErrorKey.roomCompleted]: 'This call has ended.',
  [TwilioErrorKey.maxDuration]: 'This call reached its maximum length. Ask for a new call link to continue.',
  [TwilioErrorKey.duplicateIdentity]: 'You joined this call from another tab or device, so this one was disconnected.',
  [TwilioErrorKey.signaling]: 'The connection to the video service was lost.',
  [TwilioErrorKey.media]: 'The video connection failed. Check your network and try again.',
  [TwilioErrorKey.unsupported]: 'This browser cannot join video calls. Try an up-to-date Chrome, Safari or Firefox.',
  [TwilioErrorKey.generic]: 'The video call ran into a problem. Try again.',
};

export function describeTwilioError(code: number | null | undefined): TwilioErrorKey {
  switch (code) {
    case 20104:
      return TwilioErrorKey.tokenExpired;
    case 20101:
    case 20102:
    case 20103:
    case 20105:
    case 20106:
    case 20107:
      return TwilioErrorKey.tokenInvalid;
    case 53105:
      return TwilioErrorKey.roomFull;
    case 53118:
      return TwilioErrorKey.roomCompleted;
    case 53216:
      return TwilioErrorKey.maxDuration;
    case 53205:
      return TwilioErrorKey.duplicateIdentity;
    case 53000:
    case 53001:
    case 53002:
      return TwilioErrorKey.signaling;
    case 53400:
    case 53402:
    case 53404:
    case 53405:
    case 53407:
      return TwilioErrorKey.media;
    default:
      return TwilioErrorKey.generic;
  }
}

/** What the transport's `error` event carries on the Twilio path. */
export class TwilioCallError extends Error {
  override readonly name = 'TwilioCallError';
  readonly key: TwilioErrorKey;
  constructor(
    /** Twilio's numeric code, null when the failure was not Twilio's (e.g. the token request). */
    readonly code: number | null,
    options?: { cause?: unknown; key?: TwilioErrorKey },
  ) {
    const key = options?.key ?? describeTwilioError(code);
    super(TWILIO_ERROR_MESSAGES[key], options?.cause === undefined ? undefined : { cause: options.cause });
    this.key = key;
  }
}

/** The numeric `code` of a TwilioError-shaped value, if any. */
export function twilioErrorCode(err: unknown): number | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  const code = (err as { code: unknown }).code;
  return typeof code === 'number' ? code : null;
}

export function toTwilioCallError(err: unknown): TwilioCallError {
  if (err instanceof TwilioCallError) return err;
  return new TwilioCallError(twilioErrorCode(err), { cause: err });
}

/**
 * Disconnects that are a normal end rather than a failure: the room was completed (session
 * ended) or this identity joined again elsewhere.
 */
export function isNormalEnd(code: number | null): boolean {
  return code === 53118 || code === 53205;
}

const RECOVERABLE = new Set([
  // The token ran out (a fresh one comes with the rejoin).
  20104,
  // Signalling lost, busy or unreachable.
  53000, 53001, 53002, 53006,
  // The room vanished (ended by timeout; the relay creates it again before the next token).
  53103, 53106,
  // Twilio's own reconnection took too long: the long outage of a phone in a lift or a tunnel.
  53204,
  // Media stopped flowing; the TURN / configuration fetch failed.
  53405, 53500, 53501,
]);

/**
 * Drops a fresh token and a new join can fix: the network was gone longer than Twilio's own
 * reconnection window, media stopped flowing, the server was busy, the room timed out, or the
 * token ran out.
 */
export function isRecoverable(code: number | null): boolean {
  return code !== null && RECOVERABLE.has(code);
}

/** Keys of failures without a Twilio code that another attempt can fix (network, relay busy). */
const TRANSIENT_KEYS: ReadonlySet<TwilioErrorKey> = new Set([TwilioErrorKey.signaling, TwilioErrorKey.generic]);

/**
 * Whether a failed join (or rejoin) is worth another attempt with a fresh token: a recoverable
 * Twilio code, or a token request that failed on the network or with a 5xx. A refused token
 * (401), an ended session (410) and an unsupported browser are answers, not hiccups.
 */
export function isRetryable(error: TwilioCallError): boolean {
  return error.code === null ? TRANSIENT_KEYS.has(error.key) : isRecoverable(error.code);
}
