import express, { Router } from 'express';
import { SendInviteSmsRequestSchema, SessionStatus, type InviteReply, type InviteSent, type SmsStatusView } from '@live-assist/protocol';
import type { SessionRecord } from '../db/repository.js';
import { HelpdeskUnavailableError, type Helpdesk } from '../helpdesk/types.js';
import { agentOf, requireAgent } from '../http/agent-auth.js';
import { parseBody } from '../http/api-errors.js';
import type { Logger } from '../logger.js';
import { ApiFailure } from '../http/errors.js';
import type { SessionService } from '../sessions/service.js';
import { inviteCommentHtml, inviteLocale, inviteReplyText, inviteSmsText } from './invite-messages.js';
import { maskPhone, SmsSendError, type SmsSender } from './sms.js';
import { SMS_STATUS_CALLBACK_PATH } from '../config/sms.js';
import { smsStatusHandlers } from './sms-status.js';
import type { InviteSmsStore } from './store.js';

export interface DeliveryDeps {
  sessions: SessionService;
  helpdesk: Helpdesk;
  /** null: SMS is not configured and the sidebar does not offer it. */
  sms: SmsSender | null;
  /** Invite texts and their status, in the database every relay shares. */
  texts: InviteSmsStore;
  companyName: string;
  now: () => number;
  log: Logger;
  /** Per session (across relays), against a loop or a stuck button sending the customer a stream of texts. */
  maxSmsPerSession?: number;
}

/** Invite delivery: the link as a public ticket comment, or by SMS. */
export function deliveryRoutes(d: DeliveryDeps): Router {
  const router = Router();
  const agent = requireAgent(d.sessions);
  const json = express.json({ limit: '4kb' });
  const maxSms = d.maxSmsPerSession ?? 5;

  if (d.sms?.statusCallback) {
    const { url, authToken } = d.sms.statusCallback;
    router.post(SMS_STATUS_CALLBACK_PATH, ...smsStatusHandlers({ authToken, statusCallbackUrl: url, store: d.texts, log: d.log }));
  }

  // findForAgent has already applied the sending agent's ticket access.
  const activeSession = async (res: express.Response, sessionId: string): Promise<SessionRecord> => {
    const session = await d.sessions.findForAgent(agentOf(res), sessionId);
    if (session.status !== SessionStatus.active) {
      throw new ApiFailure(410, 'session-ended', 'This session has ended; start a new one to send a link.');
    }
    return session;
  };

  const ticketOf = async (session: SessionRecord) => {
    try {
      const ticket = await d.helpdesk.getTicket(session.ticketId);
      if (!ticket) throw new ApiFailure(404, 'ticket-not-found', `Ticket ${session.ticketId} does not exist in the helpdesk.`);
      return ticket;
    } catch (error) {
      if (error instanceof HelpdeskUnavailableError)
        throw new ApiFailure(502, 'helpdesk-unavailable', 'The helpdesk could not be reached.');
      throw error;
    }
  };

  router.get('/api/invite-delivery', agent, (_req, res) => {
    res.json({ sms: d.sms !== null });
  });

  router.post('/api/sessions/:sessionId/invite/requester', agent, async (req, res) => {
    const session = await activeSession(res, String(req.params.sessionId));
    // The ticket is always the session's own: the client names no ticket here.
    const ticket = await ticketOf(session);
    const locale = inviteLocale(ticket.requester.locale);
    const html = inviteCommentHtml({
      locale,
      requesterName: ticket.requester.name,
      agentName: agentOf(res).agentName,
      companyName: d.companyName,
      inviteUrl: d.sessions.inviteUrl(session.id),
      expiresAt: session.expiresAt,
    });
    try {
      // Written as the agent who sends it, so the ticket shows who invited the customer.
      await d.helpdesk.addPublicComment(session.ticketId, { html, authorId: agentOf(res).agentId });
    } catch (error) {
      d.log.warn(`invite comment on ticket ${session.ticketId} failed`, error);
      throw new ApiFailure(502, 'helpdesk-unavailable', 'The helpdesk did not accept the comment; try again.');
    }
    const sent: InviteSent = { channel: 'ticket-comment', locale, sentAt: new Date(d.now()).toISOString(), to: null };
    res.status(201).json(sent);
  });

  // The agent puts the invite into their own reply (ZAF appendHtml/appendText): on a messaging
  // ticket a public comment from the API does not reach the customer, the agent's reply does.
  router.get('/api/sessions/:sessionId/invite/reply', agent, async (req, res) => {
    const session = await activeSession(res, String(req.params.sessionId));
    const ticket = await ticketOf(session);
    const input = {
      locale: inviteLocale(ticket.requester.locale),
      requesterName: ticket.requester.name,
      agentName: agentOf(res).agentName,
      companyName: d.companyName,
      inviteUrl: d.sessions.inviteUrl(session.id),
      expiresAt: session.expiresAt,
    };
    const reply: InviteReply = { locale: input.locale, html: inviteCommentHtml(input), text: inviteReplyText(input) };
    res.json(reply);
  });

  router.post('/api/sessions/:sessionId/invite/sms', agent, json, async (req, res) => {
    if (!d.sms) throw new ApiFailure(404, 'sms-not-configured', 'Sending links by SMS is not set up on this relay.');
    const { phoneNumber } = parseBody(SendInviteSmsRequestSchema, req.body);
    const session = await activeSession(res, String(req.params.sessionId));
    const attempt = await d.texts.reserve(session.id, maxSms, d.now());
    if (attempt === null) throw new ApiFailure(429, 'too-many-sms', `At most ${maxSms} text messages per session.`);
    const ticket = await ticketOf(session).catch(() => null);
    const locale = inviteLocale(ticket?.requester.locale);
    const text = inviteSmsText({ locale, companyName: d.companyName, inviteUrl: d.sessions.inviteUrl(session.id) });
    let messageSid: string;
    try {
      messageSid = await d.sms.send(phoneNumber, text);
    } catch (error) {
      if (error instanceof SmsSendError && error.badNumber) {
        throw new ApiFailure(422, 'bad-phone-number', 'This number cannot receive text messages.');
      }
      if (error instanceof SmsSendError && error.misconfigured) {
        // Every invite to that country fails until an admin fixes the account: say so loudly.
        d.log.error(`invite SMS for session ${session.id}: Twilio SMS is misconfigured`, error);
        throw new ApiFailure(503, 'sms-misconfigured', 'SMS is misconfigured on this relay; ask an admin to check the Twilio settings.');
      }
      d.log.warn(`invite SMS for session ${session.id} failed`, error);
      throw new ApiFailure(502, 'sms-unavailable', 'The text message could not be sent; try again.');
    }
    const sentAt = d.now();
    const to = maskPhone(phoneNumber);
    // A callback about a message not recorded yet would be dropped; Twilio's first comes once a
    // carrier has the message, well after this write.
    await d.texts.accepted(attempt, { messageSid, to, sentAt });
    const sent: InviteSent = { channel: 'sms', locale, sentAt: new Date(sentAt).toISOString(), to };
    res.status(201).json(sent);
  });

  // The sidebar polls this after sending, until the SMS is delivered or failed.
  router.get('/api/sessions/:sessionId/invite/sms', agent, async (req, res) => {
    const session = await d.sessions.findForAgent(agentOf(res), String(req.params.sessionId));
    const view: SmsStatusView = await d.texts.viewOf(session.id);
    res.json(view);
  });

  return router;
}
