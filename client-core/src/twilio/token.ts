import { TwilioTokenResponseSchema } from '@live-assist/protocol';
import { TwilioCallError, TwilioErrorKey } from './errors.js';
import type { TwilioTokenGrant } from './transport.js';

export const TWILIO_TOKEN_PATH = '/api/media/twilio-token';

/** What a refused token request means for the person waiting to join. */
function keyForStatus(status: number): TwilioErrorKey {
  if (status === 401) return TwilioErrorKey.tokenInvalid;
  if (status === 410) return TwilioErrorKey.roomCompleted;
  return TwilioErrorKey.generic;
}

/**
 * `getToken` for TwilioTransport: asks the relay for a room-scoped access token with the
 * participant token (docs/contract.md "Twilio media"). Failures are TwilioCallErrors with a key
 * the UI translates; a network failure has no Twilio code, so a rejoin keeps trying.
 */
export function relayTwilioToken(options: {
  /** Relay origin (and path prefix), no trailing slash; '' for the page's own origin. */
  relayUrl: string;
  participantToken: string;
  fetch?: typeof fetch;
}): () => Promise<TwilioTokenGrant> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return async () => {
    let response: Response;
    try {
      response = await doFetch(`${options.relayUrl}${TWILIO_TOKEN_PATH}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.participantToken}`, Accept: 'application/json' },
      });
    } catch (err) {
      throw new TwilioCallError(null, { cause: err, key: TwilioErrorKey.signaling });
    }
    if (!response.ok) {
      throw new TwilioCallError(null, { key: keyForStatus(response.status), cause: new Error(`token request: HTTP ${response.status}`) });
    }
    const parsed = TwilioTokenResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new TwilioCallError(null, { key: TwilioErrorKey.generic, cause: parsed.error });
    return { token: parsed.data.token, roomName: parsed.data.roomName };
  };
}
