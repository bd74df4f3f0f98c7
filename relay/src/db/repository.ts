import type { Role, SessionStatus } from '@live-assist/protocol';
import type { JourneyRepository } from '../journey/store.js';
import type { ChatRepository } from '../chat/store.js';
import type { UploadRepository } from '../uploads/store.js';
import type { AnnotationStore } from '../annotations/store.js';
import type { NameplateFieldMapRepository } from '../nameplate/field-map.js';
import type { NameplateRepository } from '../nameplate/store.js';
import type { PrivacyRepository } from '../privacy/types.js';
import type { Database } from './database.js';

/**
 * Storage seam. Routes and services only see these interfaces; one implementation over the query
 * builder serves SQLite and PostgreSQL (db/storage.ts).
 * Secrets (invite, participant and agent tokens) are stored as SHA-256 hashes only.
 */

export type SessionEndReason = 'ended-by-specialist' | 'ended-by-customer' | 'expired' | 'replaced';

export interface SessionRecord {
  id: string;
  /** Helpdesk account (host of the helpdesk URL, e.g. `acme.zendesk.com`). */
  account: string;
  ticketId: number;
  status: SessionStatus;
  inviteTokenHash: string;
  expiresAt: number;
  createdAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | null;
  agentId: string;
  agentName: string;
  /** The helpdesk locale of the agent holding the seat (the note's language); null when unknown. */
  agentLocale: string | null;
  /**
   * The ticket requester's email when the session started, trimmed and lower-cased (see
   * `requesterEmailKey`); kept only so an access or erasure request by email finds the session.
   * null when the helpdesk had none.
   */
  requesterEmail: string | null;
}

/** How a requester email is stored and looked up: exact after trimming, case-insensitive. */
export function requesterEmailKey(email: string): string {
  return email.trim().toLowerCase();
}

export interface ParticipantTokenRecord {
  tokenHash: string;
  sessionId: string;
  role: Role;
  createdAt: number;
  /** null: valid as long as the session is active. */
  expiresAt: number | null;
}

export interface ConsentRecord {
  policyVersion: string;
  locale: string;
  consentedAt: number;
}

export interface AgentSessionRecord {
  id: string;
  tokenHash: string;
  account: string;
  agentId: string;
  agentName: string;
  agentEmail: string | null;
  /** The agent's helpdesk locale as read when they opened the app; null when unknown. */
  agentLocale: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  /** Inserts the session and ends every other active session of the same ticket, atomically. */
  startForTicket(session: SessionRecord): Promise<{ endedSessionIds: string[] }>;
  findById(id: string): Promise<SessionRecord | null>;
  findByInviteHash(inviteTokenHash: string): Promise<SessionRecord | null>;
  findLatestForTicket(account: string, ticketId: number): Promise<SessionRecord | null>;
  /** Ends an active session; returns the record afterwards (unchanged if it had already ended). */
  end(id: string, endedAt: number, reason: SessionEndReason): Promise<SessionRecord | null>;
  /**
   * Ends every active session whose link expired by `now` (as ended at its expiry) and returns
   * those this call ended: with several relays on one database each expiry is reported once.
   */
  endExpired(now: number): Promise<SessionRecord[]>;
  /**
   * Gives an active session's specialist seat to another agent and records it in the session's
   * audit trail, atomically; null when the session is not active.
   */
  takeOver(id: string, to: { agentId: string; agentName: string; agentLocale: string | null }, at: number): Promise<SessionRecord | null>;
  /** The session's audit trail (seat takeovers, observers joining and leaving), oldest first. */
  auditTrail(id: string): Promise<SessionAuditEntry[]>;
  /** Appends an observer's joining or leaving: `from` is the seat holder then, `to` the observer. */
  recordObserverAudit(entry: Omit<SessionAuditEntry, 'kind'> & { kind: ObserverAuditKind }): Promise<void>;
  /** Adds an observer token (adding an existing hash again is a no-op). */
  addObserverToken(token: ObserverTokenRecord): Promise<void>;
  findObserverToken(tokenHash: string): Promise<ObserverTokenRecord | null>;
}

export const ObserverAuditKind = { joined: 'observer-joined', left: 'observer-left' } as const;
export type ObserverAuditKind = (typeof ObserverAuditKind)[keyof typeof ObserverAuditKind];

/** A watch-only socket token of another agent of the account; it dies with the session. */
export interface ObserverTokenRecord {
  tokenHash: string;
  sessionId: string;
  agentId: string;
  agentName: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionAuditEntry {
  sessionId: string;
  at: number;
  kind: 'takeover' | ObserverAuditKind;
  fromAgentId: string;
  fromAgentName: string;
  toAgentId: string;
  toAgentName: string;
}

export interface ParticipantRepository {
  /** Adds a token; adding an existing hash again is a no-op. */
  add(token: ParticipantTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<ParticipantTokenRecord | null>;
  /** Drops every other token of that role in the session (one customer device at a time). */
  revokeOthers(sessionId: string, role: Role, keepTokenHash: string): Promise<void>;
  recordConsent(tokenHash: string, consent: ConsentRecord): Promise<void>;
  findConsent(tokenHash: string): Promise<ConsentRecord | null>;
}

export interface AgentSessionRepository {
  create(session: AgentSessionRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<AgentSessionRecord | null>;
  deleteExpired(now: number): Promise<number>;
}

export interface Storage {
  /** The database the repositories share (the write-back builds its outbox on it). */
  database: Database;
  sessions: SessionRepository;
  participants: ParticipantRepository;
  agentSessions: AgentSessionRepository;
  /** Consent records and the location answer (relay/src/journey). */
  journey: JourneyRepository;
  /** Chat log (relay/src/features/chat). */
  chat: ChatRepository;
  /** Photos, stills and snapshots of a session (relay/src/uploads). */
  uploads: UploadRepository;
  /** Current marks, freeze and snapshot list per session (relay/src/features/annotations). */
  annotations: AnnotationStore;
  /** Confirmed nameplates per session (relay/src/nameplate); absent: the console cannot confirm one. */
  nameplates?: NameplateRepository;
  /** The nameplate field mapping each Freshdesk installation's last app sign-in brought (relay/src/nameplate). */
  nameplateFieldMaps?: NameplateFieldMapRepository;
  /** Retention, erasure and the audit log (relay/src/privacy); absent: no sweep, no audit. */
  privacy?: PrivacyRepository;
  close(): Promise<void>;
}
