import { z } from 'zod';

/**
 * Twilio access tokens for the `twilio` media mode (docs/contract.md "Twilio media"):
 * `POST /api/media/twilio-token` with `Authorization: Bearer <participantToken>` (the same token
 * as `/ws?token=`), no body. 200 with this body; 401 unknown token; 410 session ended
 * or expired; 409 `{code:"not-twilio"}` when the session runs peer-to-peer; 503 when Twilio
 * cannot be reached. The relay creates the session's room if needed before answering.
 */
export const TwilioTokenResponseSchema = z.object({
  /** Room-scoped access token (JWT). */
  token: z
    .string()
    .min(1)
    .max(8 * 1024),
  /** Unique name of the session's group room (equals `welcome.media.roomName`). */
  roomName: z.string().min(1).max(128),
  /** The participant's identity in the room: its role. */
  identity: z.string().min(1).max(128),
  /** ISO time after which the token no longer admits a (re)join; never past the session's end. */
  expiresAt: z.string(),
});
export type TwilioTokenResponse = z.infer<typeof TwilioTokenResponseSchema>;
