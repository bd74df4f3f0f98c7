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

export const BrandingSchema = z.object({
  companyName: z.string(),
  logoUrl: z.string().nullable(),
  primaryColor: z.string(),
  policyUrl: z.string().url(),
  policyVersion: z.string(),
  exitUrl: z.string().url(),
  /** How long the "call ended" screen stays before the browser goes to `exitUrl`. */
  exitDelaySeconds: z.number().int().min(0).max(60),
});
export type Branding = z.infer<typeof BrandingSchema>;

/** What the customer page learns from its invite token before consent (nothing personal). */
export const InviteViewSchema = z.object({
  sessionId: SessionIdSchema,
  branding: BrandingSchema,
  expiresAt: z.string(),
});
export type InviteView = z.infer<typeof InviteViewSchema>;

export const JoinRequestSchema = z.object({
  acceptedPolicy: z.literal(true),
  policyVersion: z.string().min(1).max(64),
  locale: z.string().min(2).max(35),
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
