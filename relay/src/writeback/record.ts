import type { SessionRecord } from '../db/repository.js';
import type { HelpdeskTicket } from '../helpdesk/types.js';
import type { Logger } from '../logger.js';
import {
  CallEnd,
  CallImageKind,
  NoteLocale,
  type CallChatLine,
  type CallConsent,
  type CallImage,
  type CallLocation,
  type CallNameplate,
  type CallRecord,
} from './note/call-record.js';
import { noteLocaleOf } from './note/strings.js';

/**
 * Readers the call record is built from. Each is the smallest slice of a feature's repository the
 * note needs, so this module does not depend on how chat, uploads or the journey store things.
 */
export interface SessionReader {
  findById(id: string): Promise<SessionRecord | null>;
}

export interface TicketReader {
  /** null when the ticket is gone; throws when the helpdesk cannot be reached. */
  getTicket(ticketId: number): Promise<HelpdeskTicket | null>;
}

/** The journey's consent records and location answer (relay/src/journey). */
export interface JourneyReader {
  consents(sessionId: string): Promise<{ policyVersion: string; locale: string; consentedAt: number }[]>;
  findLocation(
    sessionId: string,
  ): Promise<{ outcome: 'shared'; latitude: number; longitude: number; accuracy: number; capturedAt: number } | { outcome: string } | null>;
}

/** Chat messages of a session, oldest first. */
export interface ChatReader {
  chatLines(sessionId: string): Promise<CallChatLine[]>;
}

/** Photos and annotated snapshots of a session, with the local file of each original. */
export interface ImageReader {
  images(sessionId: string): Promise<CallImage[]>;
}

/** The nameplates confirmed in a session (relay/src/nameplate), with their crops' files. */
export interface NameplateReader {
  nameplates(sessionId: string): Promise<CallNameplate[]>;
}

export interface CallRecordSources {
  sessions: SessionReader;
  tickets: TicketReader;
  journey: JourneyReader;
  /** Absent until the chat feature is wired in: the note then says "no chat messages". */
  chat?: ChatReader;
  /** Absent until uploads are wired in: the note then lists no images. */
  images?: ImageReader;
  /** Absent: the note has no nameplate section. */
  nameplates?: NameplateReader;
  log?: Logger;
}

/** What the write-back itself observed about the call (see CallNotes). */
export interface ObservedCall {
  sessionId: string;
  callStartedAt: number | null;
  callEndedAt: number;
  end: CallEnd;
}

const END_OF_SESSION: Record<NonNullable<SessionRecord['endReason']>, CallEnd> = {
  'ended-by-specialist': CallEnd.bySpecialist,
  'ended-by-customer': CallEnd.byCustomer,
  expired: CallEnd.expired,
  replaced: CallEnd.replaced,
};

export function callEndOf(reason: SessionRecord['endReason']): CallEnd {
  return reason ? END_OF_SESSION[reason] : CallEnd.bySpecialist;
}

/** Gathers one call's facts from storage and the helpdesk; null when the session is unknown. */
export async function buildCallRecord(src: CallRecordSources, call: ObservedCall): Promise<CallRecord | null> {
  const session = await src.sessions.findById(call.sessionId);
  if (!session) return null;

  let ticket: HelpdeskTicket | null = null;
  try {
    ticket = await src.tickets.getTicket(session.ticketId);
  } catch (error) {
    // The note is still worth writing without the requester's name; the outbox retries the write.
    src.log?.warn(`write-back: ticket ${session.ticketId} could not be read for the note`, error);
  }

  const consents = await src.journey.consents(session.id);
  const latest = consents.at(-1);
  const consent: CallConsent | null = latest
    ? { policyVersion: latest.policyVersion, locale: latest.locale, consentedAt: latest.consentedAt }
    : null;

  const answer = await src.journey.findLocation(session.id);
  const location: CallLocation | null =
    answer && answer.outcome === 'shared' && 'latitude' in answer
      ? { latitude: answer.latitude, longitude: answer.longitude, accuracy: answer.accuracy, capturedAt: answer.capturedAt }
      : null;

  const chat = src.chat ? await src.chat.chatLines(session.id) : [];
  const images = src.images
    ? (await src.images.images(session.id)).filter((i) => i.kind === CallImageKind.photo || i.kind === CallImageKind.snapshot)
    : [];

  return {
    sessionId: session.id,
    ticketId: session.ticketId,
    // The note is read by agents: it is in the language of the agent who ran the call (the
    // invite stays in the requester's), English when theirs is not one the note speaks.
    locale: noteLocaleOf(session.agentLocale) ?? NoteLocale.en,
    sessionStartedAt: session.createdAt,
    callStartedAt: call.callStartedAt,
    callEndedAt: call.callEndedAt,
    end: call.end,
    agentName: session.agentName,
    customerName: ticket?.requester.name ?? '',
    consent,
    location,
    chat: [...chat].sort((a, b) => a.at - b.at),
    images,
    nameplates: src.nameplates ? await src.nameplates.nameplates(session.id) : [],
  };
}
