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
