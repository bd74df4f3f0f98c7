import { z } from 'zod';
import { TicketIdSchema } from './http.js';

/**
 * `POST /api/app/agent-session`: the sign-in of an app whose helpdesk signs no agent identity
 * (Freshdesk). The installation's secret comes as `Authorization: Bearer <secret>`, added by the
 * helpdesk's request proxy; everything per call is in this body, since that proxy lets the app set
 * only path, query and body (docs/freshdesk.md).
 */
export const AppSignInRequestSchema = z.object({
  /** The helpdesk's id of the signed-in agent (Freshworks: `loggedInUser.id`). */
  agentId: z.union([z.string().regex(/^[1-9]\d{0,15}$/), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]).transform(String),
  /** That agent's email as the app read it (`loggedInUser.contact.email`); must match the helpdesk's. */
  agentEmail: z.string().trim().min(3).max(320),
  /** The ticket the app was opened on: the agent must have access to it. */
  ticketId: TicketIdSchema,
  /** The account the app runs in (Freshworks: `domainName`), when it tells; must be the relay's. */
  account: z.string().trim().min(1).max(255).optional(),
});
export type AppSignInRequest = z.infer<typeof AppSignInRequestSchema>;

export const AppSignInResponseSchema = z.object({
  /** `Authorization: Bearer <agentToken>` for the agent endpoints, as the signed-URL app load gives. */
  agentToken: z.string(),
  expiresAt: z.string(),
  relayUrl: z.string().url(),
  agent: z.object({ id: z.string(), name: z.string().max(200) }),
});
export type AppSignInResponse = z.infer<typeof AppSignInResponseSchema>;
