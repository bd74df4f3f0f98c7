import { z } from 'zod';
import { CustomerStageSchema, SessionIdSchema, SessionStatusSchema } from './common.js';

/** HTTP bodies shared by the relay and its clients. Every request body is parsed with these. */

export const TicketIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const CreateSessionRequestSchema = z.object({ ticketId: TicketIdSchema });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

/** What the agent side sees of a session. */
export const SessionViewSchema = z.object({
  sessionId: SessionIdSchema,
  ticketId: z.number().int(),
  status: SessionStatusSchema,
  inviteUrl: z.string().url(),
  expiresAt: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  customerStage: CustomerStageSchema,
  customerConnected: z.boolean(),
  /**
   * Participant token for the specialist's WebSocket: only for the agent who holds the seat
   * (null for any other agent, who may take the call over explicitly).
   */
  specialistToken: z.string().nullable(),
  /** Who holds the specialist seat, and whether that is the agent asking. */
  seat: z.object({ holder: z.string().max(200), yours: z.boolean() }),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** POST /api/sessions/:id/observe: a watch-only socket token for another agent of the account. */
export const ObserveResponseSchema = z.object({
  sessionId: SessionIdSchema,
  ticketId: z.number().int(),
  observerToken: z.string(),
  /** Who holds the specialist seat (the console shows whom the observer is watching). */
  holder: z.string().max(200),
});
export type ObserveResponse = z.infer<typeof ObserveResponseSchema>;

export { BrandingSchema, InviteViewSchema, type Branding, type InviteView } from './invite.js';

export const JoinRequestSchema = z.object({
  acceptedPolicy: z.literal(true),
  policyVersion: z.string().min(1).max(64),
  locale: z.string().min(2).max(35),
  /**
   * The consent screen's words as the customer read them, in `locale`: title, explanation, the
   * policy link with its version and address, and the box they ticked. Stored as the proof of
   * what they agreed to.
   */
  consentText: z.string().min(1).max(4000),
  /** Present when this browser already joined once (reload): lets it take over its own seat. */
  participantToken: z.string().max(512).optional(),
});
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const JoinResponseSchema = z.object({
  sessionId: SessionIdSchema,
  participantToken: z.string(),
});
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
