/**
 * Everything the ticket note says about one call, gathered from storage (see ../record.ts).
 * Times are epoch milliseconds; text fields are user input and are escaped by the composer.
 */

export const NoteLocale = { en: 'en', bg: 'bg', de: 'de' } as const;
export type NoteLocale = (typeof NoteLocale)[keyof typeof NoteLocale];

/** How the call ended, as the note explains it. */
export const CallEnd = {
  bySpecialist: 'ended-by-specialist',
  byCustomer: 'ended-by-customer',
  /** A newer session was started for the same ticket. */
  replaced: 'replaced',
  expired: 'expired',
  /** A side disconnected and did not come back within the grace period. */
  specialistVanished: 'specialist-vanished',
  customerVanished: 'customer-vanished',
} as const;
export type CallEnd = (typeof CallEnd)[keyof typeof CallEnd];

export interface CallConsent {
  policyVersion: string;
  locale: string;
  consentedAt: number;
}

export interface CallLocation {
  latitude: number;
  longitude: number;
  /** Metres (radius of 68 % confidence, as browsers report it). */
  accuracy: number;
  capturedAt: number;
}

export interface CallChatLine {
  at: number;
  from: 'customer' | 'specialist';
  text: string;
  /** Photos sent with the message (they are attached to the note). */
  photos?: number;
}

export const CallImageKind = { photo: 'photo', snapshot: 'snapshot' } as const;
export type CallImageKind = (typeof CallImageKind)[keyof typeof CallImageKind];

export interface CallImage {
  kind: CallImageKind;
  createdAt: number;
  contentType: string;
  /** The file in the blob store that the outbox uploads; it must stay until the note is written. */
  blobKey: string;
}

/** A type plate the specialist read and confirmed; the values are user text (escaped by the composer). */
export interface CallNameplate {
  model?: string;
  serial?: string;
  date?: string;
  /** When it was first confirmed: plates are listed in this order. */
  createdAt: number;
  /** The crop the values were read from; null when its file is gone (the values still go in). */
  crop: { contentType: string; blobKey: string } | null;
}

export interface CallRecord {
  sessionId: string;
  ticketId: number;
  locale: NoteLocale;
  /** When the agent started the session (link created). */
  sessionStartedAt: number;
  /** When both sides were first connected; null if the customer never joined the call. */
  callStartedAt: number | null;
  callEndedAt: number;
  end: CallEnd;
  agentName: string;
  /** Requester name from the helpdesk ticket; empty when it could not be read. */
  customerName: string;
  /** Newest consent given in this session; null if the customer never consented. */
  consent: CallConsent | null;
  /** null: not shared (declined, denied or never asked). */
  location: CallLocation | null;
  chat: CallChatLine[];
  images: CallImage[];
  /** Confirmed nameplates, oldest first; absent or empty: the note has no nameplate section. */
  nameplates?: CallNameplate[];
}
