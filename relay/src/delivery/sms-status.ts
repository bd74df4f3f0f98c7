import express, { type Request, type RequestHandler, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { SmsStatusView } from '@live-assist/protocol';
import type { Logger } from '../logger.js';

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

interface TrackedSms {
  sessionId: string;
  to: string;
  sentAt: string;
  status: string;
  errorCode: number | null;
}

/**
 * The latest status of each invite SMS, and each session's latest SMS. In memory: a status is
 * worth showing while the agent waits for the customer, not after a restart.
 */
export class SmsStatusStore {
  private readonly messages = new Map<string, TrackedSms>();
  private readonly latest = new Map<string, string>();

  /** Twilio accepted the message (it answered `queued`/`accepted`). */
  track(messageSid: string, sessionId: string, to: string, sentAt: string): void {
    this.messages.set(messageSid, { sessionId, to, sentAt, status: 'queued', errorCode: null });
    this.latest.set(sessionId, messageSid);
  }

  /** Applies a callback; false when it was ignored (unknown message or status, duplicate, out of order). */
  apply(messageSid: string, status: string, errorCode: number | null): boolean {
    const message = this.messages.get(messageSid);
    const rank = RANK[status];
    if (!message || rank === undefined || rank <= RANK[message.status]!) return false;
    message.status = status;
    message.errorCode = FAILED.has(status) ? errorCode : null;
    return true;
  }

  viewOf(sessionId: string): SmsStatusView {
    const sid = this.latest.get(sessionId);
    const message = sid ? this.messages.get(sid) : undefined;
    if (!message) return { sms: null };
    const state = FAILED.has(message.status) ? 'failed' : RANK[message.status]! >= RANK.delivered! ? 'delivered' : 'sent';
    return { sms: { state, to: message.to, sentAt: message.sentAt, errorCode: message.errorCode } };
  }
}

/**
 * Express handlers for Twilio's message status callback: check X-Twilio-Signature against the
 * callback URL the relay gave Twilio (never one derived from Host or X-Forwarded-*), validate with
 * zod, then record the status.
 */
export function smsStatusHandlers(options: {
  authToken: string;
  statusCallbackUrl: string;
  store: SmsStatusStore;
  log: Logger;
}): RequestHandler[] {
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 });
  const handle = (req: Request, res: Response): void => {
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
    options.store.apply(MessageSid, MessageStatus, ErrorCode ?? null);
    // Ignored callbacks are acknowledged too, or Twilio would retry them.
    res.status(204).end();
  };
  return [form, handle];
}
