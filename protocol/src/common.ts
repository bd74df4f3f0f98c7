import { z } from 'zod';

export const Role = { customer: 'customer', specialist: 'specialist' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const RoleSchema = z.enum([Role.customer, Role.specialist]);

export const MediaMode = { p2p: 'p2p', twilio: 'twilio' } as const;
export type MediaMode = (typeof MediaMode)[keyof typeof MediaMode];

export { SessionIdSchema } from './invite.js';

/** Where the customer is in the journey; the console shows it live. */
export const CustomerStage = {
  waiting: 'waiting',
  openedLink: 'opened-link',
  consented: 'consented',
  permissions: 'permissions',
  inCall: 'in-call',
  left: 'left',
} as const;
export type CustomerStage = (typeof CustomerStage)[keyof typeof CustomerStage];
export const CustomerStageSchema = z.enum([
  CustomerStage.waiting,
  CustomerStage.openedLink,
  CustomerStage.consented,
  CustomerStage.permissions,
  CustomerStage.inCall,
  CustomerStage.left,
]);

export const SessionStatus = { active: 'active', ended: 'ended' } as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];
export const SessionStatusSchema = z.enum([SessionStatus.active, SessionStatus.ended]);

/** Why the customer's camera did not start (the camera step's help text depends on it). */
export const MEDIA_ERROR_KINDS = ['denied', 'not-found', 'in-use', 'insecure-context', 'other'] as const;
/** Whose webview the customer's page runs in, when it is not a browser of its own. */
export const IN_APP_BROWSERS = ['facebook', 'instagram', 'gmail', 'linkedin', 'other'] as const;

/**
 * The only details a customer's `stage` frame may carry: the page is not trusted, and whatever it
 * says here is shown in the specialist's console, so free text is refused.
 */
export const StageDetailSchema = z.enum([
  ...MEDIA_ERROR_KINDS.map((kind) => `media-error:${kind}` as const),
  ...IN_APP_BROWSERS.map((app) => `in-app-browser:${app}` as const),
]);
export type StageDetail = z.infer<typeof StageDetailSchema>;
