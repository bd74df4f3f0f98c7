import { z } from 'zod';

/** Agent-side HTTP bodies of the ticket write-back and invite delivery. */

/** Where the session's internal note stands; `none` before the call ended (or without a call). */
export const TicketNoteStateSchema = z.enum(['none', 'pending', 'retrying', 'done', 'failed']);
export type TicketNoteState = z.infer<typeof TicketNoteStateSchema>;

export const TicketNoteStatusSchema = z.object({
  state: TicketNoteStateSchema,
  attempts: z.number().int().nonnegative(),
  /** ISO time of the next try while `retrying`. */
  nextAttemptAt: z.string().nullable(),
  /** Last failure, for `retrying` and `failed`. */
  lastError: z.string().nullable(),
  /** ISO time the note was written, when `done`. */
  doneAt: z.string().nullable(),
});
export type TicketNoteStatus = z.infer<typeof TicketNoteStatusSchema>;

/** `GET /api/sessions/:sessionId/note`: the call as the write-back saw it, and its note. */
export const CallNoteViewSchema = z.object({
  /** When agent and customer were first connected at once (the sidebar counts the duration from it). */
  callStartedAt: z.string().nullable(),
  note: TicketNoteStatusSchema,
});
export type CallNoteView = z.infer<typeof CallNoteViewSchema>;

/** Which ways of sending the invite this relay offers. */
export const InviteDeliveryOptionsSchema = z.object({ sms: z.boolean() });
export type InviteDeliveryOptions = z.infer<typeof InviteDeliveryOptionsSchema>;

/** E.164: `+` then 8–15 digits; the agent confirms it before sending. */
export const PhoneNumberSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, 'Enter the number in international format, e.g. +49 151 2345678'));

export const SendInviteSmsRequestSchema = z.object({ phoneNumber: PhoneNumberSchema });
export type SendInviteSmsRequest = z.infer<typeof SendInviteSmsRequestSchema>;

/** Answer of both "send to requester" (public comment) and "send by SMS". */
export const InviteSentSchema = z.object({
  channel: z.enum(['ticket-comment', 'sms']),
  /** Language the message was written in. */
  locale: z.string(),
  sentAt: z.string(),
  /** SMS only: the number it went to, partly masked. */
  to: z.string().nullable(),
});
export type InviteSent = z.infer<typeof InviteSentSchema>;

/**
 * `GET /api/sessions/:sessionId/invite/reply`: the invite for the agent's own reply ("Insert link
 * into reply"), in the requester's language: HTML for the ticket editor, plain text for a
 * messaging composer.
 */
export const InviteReplySchema = z.object({
  locale: z.string(),
  html: z.string().max(8_000),
  text: z.string().max(4_000),
});
export type InviteReply = z.infer<typeof InviteReplySchema>;

/**
 * Where the invite SMS stands, from Twilio's status callbacks: `sent` until the handset's network
 * confirms (`delivered`) or gives up (`failed`: Twilio's failed and undelivered).
 */
export const SmsDeliveryStateSchema = z.enum(['sent', 'delivered', 'failed']);
export type SmsDeliveryState = z.infer<typeof SmsDeliveryStateSchema>;

/** `GET /api/sessions/:sessionId/invite/sms`: the session's latest invite SMS, null before one. */
export const SmsStatusViewSchema = z.object({
  sms: z
    .object({
      state: SmsDeliveryStateSchema,
      /** The number, partly masked. */
      to: z.string(),
      sentAt: z.string(),
      /** Twilio's error code when `failed` (30003 unreachable, 30005 unknown, 30006 landline, 30007 filtered…). */
      errorCode: z.number().int().nullable(),
    })
    .nullable(),
});
export type SmsStatusView = z.infer<typeof SmsStatusViewSchema>;
