import * as z from 'zod/mini';

/**
 * What the customer page needs before consent, written with zod's tree-shakeable build so that page
 * can check the invite without loading the full zod (its first load has a byte budget the build checks).
 * The rest of the protocol composes these schemas like any other; the rules live only here.
 */

export const SessionIdSchema = z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));

export const BrandingSchema = z.object({
  companyName: z.string(),
  logoUrl: z.nullable(z.string()),
  primaryColor: z.string(),
  policyUrl: z.url(),
  policyVersion: z.string(),
  exitUrl: z.url(),
  /** How long the "call ended" screen stays before the browser goes to `exitUrl`. */
  exitDelaySeconds: z.int().check(z.minimum(0), z.maximum(60)),
});
export type Branding = z.infer<typeof BrandingSchema>;

/** What the customer page learns from its invite token before consent (nothing personal). */
export const InviteViewSchema = z.object({
  sessionId: SessionIdSchema,
  branding: BrandingSchema,
  expiresAt: z.string(),
});
export type InviteView = z.infer<typeof InviteViewSchema>;

/**
 * The customer page's HTML carries the relay's answer to its invite link in
 * `<script type="application/json" id="live-assist-invite">` (a data block: never run), so the page
 * shows its first screen without asking `GET /api/invites/:token` again. `status` and `body` are that
 * endpoint's: an `InviteView` with 200, an `ApiError` with 404 or 410. A page without the block asks.
 */
export const INVITE_ANSWER_ELEMENT_ID = 'live-assist-invite';
export type InviteAnswer = { status: number; body: unknown };
