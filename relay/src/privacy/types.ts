import type { SessionStatus } from '@live-assist/protocol';

/** Who did something: the agent's helpdesk id, `customer`, the admin running the CLI, or the relay. */
export const AuditActorKind = {
  agent: 'agent',
  customer: 'customer',
  admin: 'admin',
  system: 'system',
} as const;
export type AuditActorKind = (typeof AuditActorKind)[keyof typeof AuditActorKind];

export const AuditAction = {
  sessionStarted: 'session-started',
  sessionEnded: 'session-ended',
  freeze: 'freeze',
  snapshot: 'snapshot',
  photoDownloaded: 'photo-downloaded',
  /** An app load without a helpdesk-signed identity (Freshdesk): who the app said it runs for. */
  appSignIn: 'app-sign-in',
  /** The console opened in a tab of its own through a one-time link from the sidebar (Freshdesk). */
  consoleTabOpened: 'console-tab-opened',
  exported: 'export',
  erased: 'erase',
  retentionPurge: 'retention-purge',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface NewAuditEntry {
  at: number;
  actorKind: AuditActorKind;
  actorId: string;
  action: AuditAction;
  account: string | null;
  ticketId: number | null;
  sessionId: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditEntry extends Omit<NewAuditEntry, 'action'> {
  id: number;
  action: string;
}

export interface SessionRef {
  id: string;
  account: string;
  ticketId: number;
  status: SessionStatus;
}

/**
 * Retention, erasure and the audit log. Every change is one transaction that re-checks its
 * condition, so several relays (or a relay and the CLI) can run it at once. Async so a
 * PostgreSQL implementation can follow the SQLite one.
 */
export interface PrivacyRepository {
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Oldest first. */
  auditForTicket(ticketId: number): Promise<AuditEntry[]>;
  /** Drops entries at or before `cutoff`; returns how many. */
  pruneAudit(cutoff: number): Promise<number>;
  /** Ended sessions with a settled note (or none to come), ended and settled at or before `cutoff`. */
  purgeableSessions(cutoff: number, limit: number): Promise<string[]>;
  /** Deletes the session's personal rows, keeps the minimal record; false when not (or no longer) due. */
  purgeSession(sessionId: string, cutoff: number, now: number): Promise<boolean>;
  /** Purged sessions that ended at or before `cutoff` (the consent retention is over). */
  expirableSessions(cutoff: number, limit: number): Promise<string[]>;
  /** Deletes the minimal record too; false when it was already gone. */
  expireSession(sessionId: string): Promise<boolean>;
  /** Every account's sessions of that ticket number, oldest first. */
  sessionsForTicket(ticketId: number): Promise<SessionRef[]>;
  /** Every account's sessions whose requester had this email (as `requesterEmailKey` makes it), oldest first. */
  sessionsForRequester(emailKey: string): Promise<SessionRef[]>;
  /** The session's call note as the outbox holds it; null when there is none. */
  noteForSession(sessionId: string): Promise<{ status: string; htmlBody: string; createdAt: number; doneAt: number | null } | null>;
  /** Ends the session if live and deletes everything of it, with the audit entry, in one transaction. */
  eraseSession(sessionId: string, now: number, audit: NewAuditEntry | null): Promise<void>;
}
