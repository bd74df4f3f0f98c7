import express, { type Request, type RequestHandler, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { SmsDeliveryState } from '@live-assist/protocol';
import type { Logger } from '../logger.js';
import type { InviteSmsStore } from './store.js';

/**
 * Twilio's message statuses in the order a message moves through them. A callback that would move
 * a message backwards (a late `sent` after `delivered`) or sideways is a retry or an overtaken
 * request, and is dropped. `read` only comes from WhatsApp, after `delivered`.
 */
const RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  read: 4,
};
const FAILED = new Set(['failed', 'undelivered']);

const blankToUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

/** The fields the relay reads; Twilio sends more (SmsSid, ApiVersion, …) and may add others. */
export const SmsStatusCallbackSchema = z.object({
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.string().min(1).max(32),
  ErrorCode: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(999_999).optional()),
});

/** Where a status stands in that order; undefined for one the relay does not follow (`canceled`). */
export const statusRank = (status: string): number | undefined => RANK[status];

/** Twilio gave up on the message: `failed` or `undelivered`, which carry an error code. */
export const failedStatus = (status: string): boolean => FAILED.has(status);

/** What the sidebar shows for a status. */
export function smsState(status: string): SmsDeliveryState {
  if (FAILED.has(status)) return 'failed';
  return (RANK[status] ?? 0) >= RANK.delivered! ? 'delivered' : 'sent';
}

/**
 * Express handlers for Twilio's message status callback: check X-Twilio-Signature against the
 * callback URL the relay gave Twilio (never one derived from Host or X-Forwarded-*), validate with
 * zod, then record the status. A failure to record it answers 500.
 */
export function smsStatusHandlers(options: {
  authToken: string;
  statusCallbackUrl: string;
  store: Pick<InviteSmsStore, 'applyStatus'>;
  log: Logger;
}): RequestHandler[] {
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 });
  const handle = async (req: Request, res: Response): Promise<void> => {
    const params: Record<string, unknown> = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const signature = req.get('X-Twilio-Signature') ?? '';
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    if (!signature || !twilio.validateRequest(options.authToken, signature, `${options.statusCallbackUrl}${query}`, params)) {
      options.log.warn(`[twilio] SMS status callback with a bad signature refused (${req.ip ?? 'unknown'})`);
      res.status(403).type('text/plain').send('Invalid Twilio signature');
      return;
    }
    const parsed = SmsStatusCallbackSchema.safeParse(params);
    if (!parsed.success) {
      options.log.warn(`[twilio] unexpected SMS status callback: ${z.prettifyError(parsed.error)}`);
      res.status(400).type('text/plain').send('Unexpected status callback');
      return;
    }
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    // Whichever relay Twilio reaches: the status lands in the database the sidebar's relay reads.
    await options.store.applyStatus(MessageSid, MessageStatus, ErrorCode ?? null);
    // Ignored callbacks are acknowledged too, or Twilio would retry them.
    res.status(204).end();
  };
  return [form, handle];
}
