import {
  CustomerStage,
  Role,
  SessionIdSchema,
  SessionStatus,
  type InviteView,
  type JoinRequest,
  type JoinResponse,
  type ObserveResponse,
  type SessionView,
} from '@live-assist/protocol';
import type { BrandingConfig } from '../config/index.js';
import type { AgentSessionRecord, SessionRecord, Storage } from '../db/repository.js';
import { HelpdeskUnavailableError, type Helpdesk } from '../helpdesk/types.js';
import { ObserverAuditKind } from '../db/repository.js';
import type { RoomHub, RoomInfo } from '../rooms/hub.js';
import type { ObserverEvent, ObserverIdentity } from '../rooms/room.js';
import { deriveToken, hashToken, isWellFormedToken, randomId, randomToken } from '../tokens.js';
import { ApiFailure } from '../http/errors.js';
import type { SessionEvents } from './events.js';

export interface SessionServiceDeps {
  storage: Storage;
  helpdesk: Helpdesk;
  hub: RoomHub;
  /** Keys the derived tokens (invite links, specialist seats). */
  secret: Uint8Array;
  publicUrl: string;
  inviteTtlMs: number;
  branding: BrandingConfig;
  now: () => number;
  /** Told about session starts and ends (Twilio rooms, write-back). */
  events?: SessionEvents;
}

export type InviteCheck =
  { ok: true; session: SessionRecord } | { ok: false; status: 404 | 410; code: 'invite-not-found' | 'invite-expired' | 'invite-ended' };

/** How the API answers a link that does not work (404 or 410, with the reason's code). */
export function inviteFailure(check: Extract<InviteCheck, { ok: false }>): ApiFailure {
  const message = check.status === 404 ? 'This link is not valid.' : 'This link is no longer valid.';
  return new ApiFailure(check.status, check.code, message);
}

/** A participant token that may open a WebSocket right now. */
export interface AuthenticatedParticipant {
  session: SessionRecord;
  role: Role;
  tokenHash: string;
  /** Set for an observer token: the socket watches and holds no seat. */
  observer: ObserverIdentity | null;
}

const AGENT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/**
 * How long a granted ticket access is trusted before the helpdesk is asked again; the sidebar
 * polls every few seconds, and a revoked group membership takes effect within this time.
 */
const TICKET_ACCESS_TTL_MS = 60_000;

const roomInfo = (s: SessionRecord): RoomInfo => ({ sessionId: s.id, specialistName: s.agentName });

/** Session lifecycle and token rules; routes and the WebSocket glue stay thin on top of it. */
export class SessionService {
  /** `${agentSessionId} ${ticketId}` → when access was granted. */
  private readonly granted = new Map<string, number>();

  constructor(private readonly d: SessionServiceDeps) {}

  /**
   * The relay acts on tickets with an admin credential, so it applies the agent's own helpdesk
   * restrictions (groups, organization, assigned, requested) before acting for them.
   */
  async requireTicketAccess(agent: AgentSessionRecord, ticketId: number): Promise<void> {
    // An agent of another helpdesk account learns nothing about this one's tickets.
    if (agent.account !== this.d.helpdesk.account) throw new ApiFailure(404, 'session-not-found', 'No such session.');
    const key = `${agent.id} ${ticketId}`;
    const at = this.granted.get(key);
    if (at !== undefined && this.d.now() - at < TICKET_ACCESS_TTL_MS) return;
    let access;
    try {
      access = await this.d.helpdesk.ticketAccess(agent.agentId, ticketId);
    } catch (error) {
      if (error instanceof HelpdeskUnavailableError) {
        throw new ApiFailure(502, 'helpdesk-unavailable', 'The helpdesk could not be reached to check your access to this ticket.');
      }
      throw error;
    }
    if (access === 'not-found') throw new ApiFailure(404, 'ticket-not-found', `Ticket ${ticketId} does not exist in the helpdesk.`);
    if (access === 'forbidden') {
      this.granted.delete(key);
      throw new ApiFailure(403, 'ticket-forbidden', `Your helpdesk role does not give you access to ticket ${ticketId}.`);
    }
    if (this.granted.size > 10_000) this.granted.clear();
    this.granted.set(key, this.d.now());
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  private inviteToken(sessionId: string): string {
    return deriveToken(this.d.secret, 'invite', sessionId);
  }

  inviteUrl(sessionId: string): string {
    return `${this.d.publicUrl}/join/${this.inviteToken(sessionId)}`;
  }

  // ---------- agents ----------

  async createAgentSession(agent: {
    account: string;
    agentId: string;
    name: string;
    email: string | null;
    locale: string | null;
  }): Promise<{ token: string; record: AgentSessionRecord }> {
    const token = randomToken();
    const now = this.d.now();
    const record: AgentSessionRecord = {
      id: randomId(),
      tokenHash: hashToken(token),
      account: agent.account,
      agentId: agent.agentId,
      agentName: agent.name,
      agentEmail: agent.email,
      agentLocale: agent.locale,
      createdAt: now,
      expiresAt: now + AGENT_SESSION_TTL_MS,
    };
    await this.d.storage.agentSessions.create(record);
    // Housekeeping piggybacks on logins so no timer is needed.
    await this.d.storage.agentSessions.deleteExpired(now);
    return { token, record };
  }

  async authenticateAgent(token: string): Promise<AgentSessionRecord | null> {
    if (!isWellFormedToken(token)) return null;
    const record = await this.d.storage.agentSessions.findByHash(hashToken(token));
    if (!record || record.expiresAt <= this.d.now()) return null;
    return record;
  }

  /**
   * What the agent sees. The agent who holds the specialist seat gets (idempotently minted) the
   * specialist token tied to this agent session; any other agent sees who is in the call.
   */
  async view(agent: AgentSessionRecord, session: SessionRecord): Promise<SessionView> {
    const yours = session.agentId === agent.agentId;
    const specialistToken = yours ? await this.mintSpecialistToken(agent, session) : null;
    const presence =
      session.status === SessionStatus.active
        ? await this.d.hub.customerPresence(session.id)
        : { connected: false, stage: CustomerStage.waiting };
    return {
      sessionId: session.id,
      ticketId: session.ticketId,
      status: session.status,
      inviteUrl: this.inviteUrl(session.id),
      expiresAt: this.iso(session.expiresAt),
      createdAt: this.iso(session.createdAt),
      endedAt: session.endedAt === null ? null : this.iso(session.endedAt),
      customerStage: presence.stage,
      customerConnected: presence.connected,
      specialistToken,
      seat: { holder: session.agentName.slice(0, 200), yours },
    };
  }

  private async mintSpecialistToken(agent: AgentSessionRecord, session: SessionRecord): Promise<string> {
    const specialistToken = deriveToken(this.d.secret, 'specialist', session.id, agent.id);
    await this.d.storage.participants.add({
      tokenHash: hashToken(specialistToken),
      sessionId: session.id,
      role: Role.specialist,
      createdAt: this.d.now(),
      // The seat ends with the session's link, or earlier with the agent's own login.
      expiresAt: Math.min(agent.expiresAt, session.expiresAt),
    });
    return specialistToken;
  }

  /**
   * An explicit action of another agent of the account: the seat moves to them, the previous
   * specialist's tokens stop working and their socket closes, the customer sees the new name,
   * and the audit trail records it.
   */
  async takeOver(agent: AgentSessionRecord, session: SessionRecord): Promise<SessionRecord> {
    if (session.status !== SessionStatus.active || session.expiresAt <= this.d.now()) {
      throw new ApiFailure(409, 'session-ended', 'This call has ended.');
    }
    if (session.agentId === agent.agentId) return session;
    const taken = await this.d.storage.sessions.takeOver(
      session.id,
      { agentId: agent.agentId, agentName: agent.agentName, agentLocale: agent.agentLocale },
      this.d.now(),
    );
    if (!taken) throw new ApiFailure(409, 'session-ended', 'This call has ended.');
    const token = await this.mintSpecialistToken(agent, taken);
    await this.d.storage.participants.revokeOthers(session.id, Role.specialist, hashToken(token));
    await this.d.hub.takeOver(session.id, taken.agentName);
    return taken;
  }

  /**
   * Another agent of the account asks to watch the call (an explicit action in the sidebar): a
   * watch-only token tied to this agent session, valid while the session and the login are.
   * The seat holder asking gets the same answer as anyone; watching one's own call is harmless.
   */
  async observe(agent: AgentSessionRecord, session: SessionRecord): Promise<ObserveResponse> {
    if (session.status !== SessionStatus.active || session.expiresAt <= this.d.now()) {
      throw new ApiFailure(409, 'session-ended', 'This call has ended.');
    }
    const observerToken = deriveToken(this.d.secret, 'observer', session.id, agent.id);
    await this.d.storage.sessions.addObserverToken({
      tokenHash: hashToken(observerToken),
      sessionId: session.id,
      agentId: agent.agentId,
      agentName: agent.agentName,
      createdAt: this.d.now(),
      expiresAt: Math.min(agent.expiresAt, session.expiresAt),
    });
    return { sessionId: session.id, ticketId: session.ticketId, observerToken, holder: session.agentName.slice(0, 200) };
  }

  /** The room saw an observer start or stop watching: the session's audit trail records it. */
  async recordObserver(sessionId: string, event: ObserverEvent, observer: ObserverIdentity): Promise<void> {
    const session = await this.d.storage.sessions.findById(sessionId);
    if (!session) return;
    await this.d.storage.sessions.recordObserverAudit({
      sessionId,
      at: this.d.now(),
      kind: event === 'joined' ? ObserverAuditKind.joined : ObserverAuditKind.left,
      fromAgentId: session.agentId,
      fromAgentName: session.agentName,
      toAgentId: observer.agentId,
      toAgentName: observer.displayName,
    });
  }

  async createSession(agent: AgentSessionRecord, ticketId: number): Promise<SessionRecord> {
    await this.requireTicketAccess(agent, ticketId);
    // Starting anew ends the ticket's previous session: only its own agent may do that while it runs.
    const current = await this.d.storage.sessions.findLatestForTicket(agent.account, ticketId);
    if (current) this.requireSeat(agent, current);
    const requesterEmail = await this.requesterEmail(ticketId);
    const now = this.d.now();
    const id = randomId();
    const session: SessionRecord = {
      id,
      account: agent.account,
      ticketId,
      status: SessionStatus.active,
      inviteTokenHash: hashToken(this.inviteToken(id)),
      expiresAt: now + this.d.inviteTtlMs,
      createdAt: now,
      endedAt: null,
      endReason: null,
      agentId: agent.agentId,
      agentName: agent.agentName,
      agentLocale: agent.agentLocale,
      requesterEmail,
    };
    const { endedSessionIds } = await this.d.storage.sessions.startForTicket(session);
    for (const endedId of endedSessionIds) {
      await this.d.hub.endSession(endedId, 'ended-by-specialist');
      this.d.events?.emit('ended', { sessionId: endedId, reason: 'replaced', at: now });
    }
    this.d.events?.emit('started', { sessionId: id, account: session.account, ticketId, at: now });
    return session;
  }

  /**
   * Read when the session starts, not at erasure time: the requester of a ticket can change, and
   * an access or erasure request names the person whose call it was. A session that cannot learn
   * it does not start, so no call is missing from a lookup by email.
   */
  private async requesterEmail(ticketId: number): Promise<string | null> {
    let ticket;
    try {
      ticket = await this.d.helpdesk.getTicket(ticketId);
    } catch (error) {
      if (error instanceof HelpdeskUnavailableError) {
        throw new ApiFailure(502, 'helpdesk-unavailable', 'The helpdesk could not be reached to read the ticket.');
      }
      throw error;
    }
    if (!ticket) throw new ApiFailure(404, 'ticket-not-found', `Ticket ${ticketId} does not exist in the helpdesk.`);
    return ticket.requester.email;
  }

  /** Sessions of other helpdesk accounts are reported as missing, never as forbidden. */
  async findForAgent(agent: AgentSessionRecord, sessionId: string): Promise<SessionRecord> {
    const session = SessionIdSchema.safeParse(sessionId).success ? await this.d.storage.sessions.findById(sessionId) : null;
    if (!session || session.account !== agent.account) {
      throw new ApiFailure(404, 'session-not-found', 'No such session.');
    }
    await this.requireTicketAccess(agent, session.ticketId);
    return session;
  }

  async latestForTicket(agent: AgentSessionRecord, ticketId: number): Promise<SessionRecord> {
    await this.requireTicketAccess(agent, ticketId);
    const session = await this.d.storage.sessions.findLatestForTicket(agent.account, ticketId);
    if (!session) throw new ApiFailure(404, 'session-not-found', `Ticket ${ticketId} has no session yet.`);
    return session;
  }

  /**
   * The seat holder's call is theirs to end: another agent takes it over first (an explicit action
   * the customer sees and the audit trail records), never ends or replaces it from the side.
   */
  private requireSeat(agent: AgentSessionRecord, session: SessionRecord): void {
    if (session.status === SessionStatus.active && session.expiresAt > this.d.now() && session.agentId !== agent.agentId) {
      throw new ApiFailure(409, 'seat-held', `${session.agentName.slice(0, 200)} is in this call. Take it over first.`);
    }
  }

  async endSession(agent: AgentSessionRecord, session: SessionRecord): Promise<SessionRecord> {
    this.requireSeat(agent, session);
    const ended = await this.d.storage.sessions.end(session.id, this.d.now(), 'ended-by-specialist');
    await this.d.hub.endSession(session.id, 'ended-by-specialist');
    // Only the call that actually ended it reports it (ending twice is a no-op).
    if (session.status === SessionStatus.active && ended?.status === SessionStatus.ended) {
      this.d.events?.emit('ended', {
        sessionId: session.id,
        reason: ended.endReason ?? 'ended-by-specialist',
        at: ended.endedAt ?? this.d.now(),
      });
    }
    return ended ?? session;
  }

  // ---------- customers ----------

  async checkInvite(inviteToken: string): Promise<InviteCheck> {
    const session = isWellFormedToken(inviteToken) ? await this.d.storage.sessions.findByInviteHash(hashToken(inviteToken)) : null;
    if (!session) return { ok: false, status: 404, code: 'invite-not-found' };
    if (session.status === SessionStatus.ended) return { ok: false, status: 410, code: 'invite-ended' };
    if (session.expiresAt <= this.d.now()) return { ok: false, status: 410, code: 'invite-expired' };
    return { ok: true, session };
  }

  private async requireInvite(inviteToken: string): Promise<SessionRecord> {
    const check = await this.checkInvite(inviteToken);
    if (!check.ok) throw inviteFailure(check);
    return check.session;
  }

  async openInvite(inviteToken: string): Promise<InviteView> {
    const session = await this.requireInvite(inviteToken);
    await this.d.hub.noteLinkOpened(roomInfo(session));
    return this.inviteView(session);
  }

  /** The invite as `GET /api/invites/:token` shows it, without noting that the link was opened. */
  inviteView(session: SessionRecord): InviteView {
    return { sessionId: session.id, branding: { ...this.d.branding }, expiresAt: this.iso(session.expiresAt) };
  }

  /** `userAgent` is the request's User-Agent header: it is part of the consent record. */
  async join(inviteToken: string, req: JoinRequest, userAgent: string | null = null): Promise<JoinResponse> {
    const session = await this.requireInvite(inviteToken);
    if (req.policyVersion !== this.d.branding.policyVersion) {
      throw new ApiFailure(409, 'policy-changed', 'The privacy policy has changed; reload the page to read it.');
    }
    const now = this.d.now();
    let token = await this.reusableCustomerToken(session, req.participantToken);
    if (token === null) {
      const presence = await this.d.hub.customerPresence(session.id);
      if (presence.connected) {
        throw new ApiFailure(409, 'in-use', 'Another device is already in this call.');
      }
      token = randomToken();
      await this.d.storage.participants.add({
        tokenHash: hashToken(token),
        sessionId: session.id,
        role: Role.customer,
        createdAt: now,
        expiresAt: session.expiresAt,
      });
    }
    const tokenHash = hashToken(token);
    // The seat belongs to the newest device; older customer tokens stop working.
    await this.d.storage.participants.revokeOthers(session.id, Role.customer, tokenHash);
    await this.d.storage.participants.recordConsent(tokenHash, {
      policyVersion: req.policyVersion,
      locale: req.locale,
      consentedAt: now,
    });
    // The durable record (survives the token being revoked by another device); the ticket note reads it.
    await this.d.storage.journey.recordConsent({
      sessionId: session.id,
      policyVersion: req.policyVersion,
      locale: req.locale,
      consentText: req.consentText,
      userAgent,
      consentedAt: now,
    });
    await this.d.hub.setCustomerStage(roomInfo(session), CustomerStage.consented);
    return { sessionId: session.id, participantToken: token };
  }

  /** The customer pressed `End call`: the session ends for both sides, the link stops working. */
  async endByCustomer(inviteToken: string, participantToken: string): Promise<void> {
    // Past the link's expiry too: End call always ends the call.
    const session = isWellFormedToken(inviteToken) ? await this.d.storage.sessions.findByInviteHash(hashToken(inviteToken)) : null;
    if (!session) throw new ApiFailure(404, 'invite-not-found', 'This link is not valid.');
    // Ending twice (a retry after a lost answer) is fine: the session is over either way.
    if (session.status === SessionStatus.ended) return;
    if ((await this.reusableCustomerToken(session, participantToken)) === null) {
      throw new ApiFailure(401, 'unauthorized', 'This device is not the customer of this call.');
    }
    const ended = await this.d.storage.sessions.end(session.id, this.d.now(), 'ended-by-customer');
    await this.d.hub.endSession(session.id, 'ended-by-customer');
    if (ended?.endReason === 'ended-by-customer') {
      this.d.events?.emit('ended', { sessionId: session.id, reason: 'ended-by-customer', at: ended.endedAt ?? this.d.now() });
    }
  }

  /**
   * Ends sessions whose link expired (each reported by the one relay whose update ended it) and
   * closes this relay's rooms of sessions that ended elsewhere. Run on a timer by every relay.
   */
  async expireDue(): Promise<void> {
    for (const session of await this.d.storage.sessions.endExpired(this.d.now())) {
      await this.d.hub.endSession(session.id, 'expired');
      this.d.events?.emit('ended', { sessionId: session.id, reason: 'expired', at: session.endedAt ?? session.expiresAt });
    }
    for (const id of this.d.hub.liveSessionIds()) {
      const session = await this.d.storage.sessions.findById(id);
      if (!session || session.status === SessionStatus.ended) {
        const reason =
          session?.endReason === 'ended-by-customer' || session?.endReason === 'expired' ? session.endReason : 'ended-by-specialist';
        await this.d.hub.endSession(id, reason);
      }
    }
  }

  private async reusableCustomerToken(session: SessionRecord, token: string | undefined): Promise<string | null> {
    if (token === undefined || !isWellFormedToken(token)) return null;
    const record = await this.d.storage.participants.findByHash(hashToken(token));
    if (!record || record.sessionId !== session.id || record.role !== Role.customer) return null;
    return token;
  }

  // ---------- sockets ----------

  /** The session's audit trail (takeovers), for agents of its account. */
  auditTrail(session: SessionRecord) {
    return this.d.storage.sessions.auditTrail(session.id);
  }

  /**
   * A seat's token (customer, specialist). Observer tokens only with `observers: true` (the
   * WebSocket): everywhere else (uploads, photo downloads) they must not pass for a specialist.
   */
  async authenticateParticipant(token: string, opts: { observers?: boolean } = {}): Promise<AuthenticatedParticipant | null> {
    if (!isWellFormedToken(token)) return null;
    const tokenHash = hashToken(token);
    const record = await this.d.storage.participants.findByHash(tokenHash);
    const watcher = record || !opts.observers ? null : await this.d.storage.sessions.findObserverToken(tokenHash);
    const found = record ?? watcher;
    if (!found) return null;
    const now = this.d.now();
    if (found.expiresAt !== null && found.expiresAt <= now) return null;
    const session = await this.d.storage.sessions.findById(found.sessionId);
    if (!session || session.status !== SessionStatus.active || session.expiresAt <= now) return null;
    if (watcher) {
      // The id other clients see: the hash's prefix identifies the observer without revealing the token.
      const observer = { id: tokenHash.slice(0, 16), agentId: watcher.agentId, displayName: watcher.agentName };
      return { session, role: Role.specialist, tokenHash, observer };
    }
    return { session, role: record!.role, tokenHash, observer: null };
  }

  roomInfo(session: SessionRecord): RoomInfo {
    return roomInfo(session);
  }
}
