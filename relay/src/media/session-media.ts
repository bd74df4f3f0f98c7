import {
  CustomerStage,
  MediaMode,
  RoleSchema,
  SessionStatus,
  type IceServer,
  type MediaConfig,
  type Role,
  type TwilioTokenResponse,
} from '@live-assist/protocol';
import type { SessionRecord, Storage } from '../db/repository.js';
import type { Logger } from '../logger.js';
import type { RoomHub } from '../rooms/hub.js';
import { ApiFailure } from '../http/errors.js';
import type { SessionEvents } from '../sessions/events.js';
import { hashToken, isWellFormedToken } from '../tokens.js';
import { RoomStatusEvent, roomNameForSession, VideoGrantRefused, type TwilioMedia, type TwilioRoomEvent } from './twilio/index.js';

/** Twilio identities of observers start with this; customer and specialist use their role. */
export const OBSERVER_IDENTITY_PREFIX = 'observer-';

export type SessionMediaDeps = {
  mode: MediaMode;
  /** null: no Twilio credentials. */
  twilio: TwilioMedia | null;
  /** ICE_SERVERS_JSON; the P2P fallback whenever Twilio's NTS cannot be used. */
  staticIceServers: IceServer[];
  storage: Storage;
  hub: RoomHub;
  events: SessionEvents;
  log: Logger;
  now: () => number;
};

/** NTS credentials live 24 h; past this age a set kept after failed renewals is no longer trusted. */
const NTS_STALE_AFTER_MS = 20 * 60 * 60 * 1000;
/** After a failed NTS request, welcomes do not ask Twilio again for this long. */
const NTS_RETRY_AFTER_MS = 60 * 1000;
/** Room bookkeeping kept in memory for this many sessions at most (oldest dropped first). */
const MAX_TRACKED_SESSIONS = 2000;
/** A session's own TURN credentials live as long as the session, at most this (the longest call). */
const SESSION_TURN_MAX_TTL_S = 4 * 60 * 60;
const SESSION_TURN_MIN_TTL_S = 60;

/** What the relay knows of a session's Twilio room, to order callbacks and drop stale ones. */
type RoomTrack = {
  /** The room this relay last created or saw for the session; null after it ended. */
  roomSid: string | null;
  endedRoomSids: Set<string>;
  /**
   * Per room and participant (or the room itself): the last callback applied (Twilio's
   * SequenceNumber, else its timestamp).
   */
  last: Map<string, { sequence: number | null; at: number }>;
  /** Per room: the SequenceNumbers already applied, so a redelivered callback counts once. */
  seen: Map<string, Set<number>>;
  /** Current Twilio participant SID per role, so a stale "disconnected" after a rejoin is ignored. */
  participants: Map<Role, string>;
};

/**
 * The relay's media decisions per session: what `welcome.media` says, Twilio rooms
 * following session start/end, access tokens, and Twilio's status callbacks fed back into the
 * session state and `SessionEvents`.
 */
export class SessionMedia {
  private iceServers: IceServer[];
  private ntsFetchedAt: number | null = null;
  private ntsFailedAt: number | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly rooms = new Map<string, RoomTrack>();
  /** Per-session TURN credentials (P2P with Twilio), and the sessions whose set is being minted. */
  private readonly sessionIce = new Map<string, IceServer[]>();
  private readonly minting = new Set<string>();
  private readonly offs: Array<() => void> = [];

  constructor(private readonly d: SessionMediaDeps) {
    this.iceServers = d.staticIceServers;
    if (d.mode === MediaMode.twilio && !d.twilio) throw new Error('Twilio media mode needs Twilio credentials');
    this.offs.push(
      d.events.on('started', ({ sessionId }) => this.onStarted(sessionId)),
      d.events.on('ended', ({ sessionId }) => this.onEnded(sessionId)),
    );
    if (this.usesNts) void this.refreshIceServers();
  }

  get mode(): MediaMode {
    return this.d.mode;
  }

  private get usesNts(): boolean {
    return this.d.mode === MediaMode.p2p && this.d.twilio !== null;
  }

  /** `welcome.media` for a session; synchronous, so P2P TURN credentials are kept fresh in the background. */
  mediaFor(sessionId: string): MediaConfig {
    if (this.d.mode === MediaMode.twilio) return { mode: MediaMode.twilio, roomName: roomNameForSession(sessionId) };
    const own = this.sessionIce.get(sessionId);
    if (own) return { mode: MediaMode.p2p, iceServers: own };
    if (this.usesNts) {
      // No set of its own yet (relay restarted, or Twilio was slow): the shared one meanwhile.
      void this.mintSessionIce(sessionId);
      // Cheap when the cached set is fresh: NtsIceServers only calls Twilio near the set's expiry.
      void this.refreshIceServers();
    }
    return { mode: MediaMode.p2p, iceServers: this.iceServers };
  }

  /** Mints the session's own TURN credentials, living as long as the session (at most 4 h). */
  async mintSessionIce(sessionId: string): Promise<void> {
    const twilio = this.d.twilio;
    if (!this.usesNts || !twilio || this.sessionIce.has(sessionId) || this.minting.has(sessionId)) return;
    this.minting.add(sessionId);
    try {
      const session = await this.d.storage.sessions.findById(sessionId);
      if (!session || session.status !== SessionStatus.active) return;
      const remaining = Math.ceil((session.expiresAt - this.d.now()) / 1000);
      const ttl = Math.min(SESSION_TURN_MAX_TTL_S, Math.max(SESSION_TURN_MIN_TTL_S, remaining));
      const servers = await twilio.nts.mint(ttl);
      if (this.sessionIce.size >= MAX_TRACKED_SESSIONS) {
        const oldest = this.sessionIce.keys().next().value;
        if (oldest !== undefined) this.sessionIce.delete(oldest);
      }
      this.sessionIce.set(sessionId, servers);
    } catch (err) {
      this.d.log.warn(`[twilio] no TURN credentials of its own for session ${sessionId} (${describe(err)}); using the shared set`);
    } finally {
      this.minting.delete(sessionId);
    }
  }

  /** Fetches (or reuses) NTS servers; on failure keeps a recent set, else falls back to the configured ones. */
  refreshIceServers(): Promise<void> {
    const twilio = this.d.twilio;
    if (!this.usesNts || !twilio) return Promise.resolve();
    if (this.ntsFailedAt !== null && this.d.now() - this.ntsFailedAt < NTS_RETRY_AFTER_MS) return Promise.resolve();
    this.refreshing ??= twilio.nts
      .getIceServers()
      .then(
        (servers) => {
          if (this.iceServers !== servers) this.ntsFetchedAt = this.d.now();
          this.iceServers = servers;
          this.ntsFailedAt = null;
        },
        (err: unknown) => {
          this.ntsFailedAt = this.d.now();
          const stale = this.ntsFetchedAt === null || this.d.now() - this.ntsFetchedAt > NTS_STALE_AFTER_MS;
          this.d.log.warn(
            `[twilio] TURN credentials from Twilio unavailable (${describe(err)}); ` +
              (stale ? 'using the configured ICE servers' : 'keeping the current set'),
          );
          if (stale) this.iceServers = this.d.staticIceServers;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  // ---------- tokens ----------

  /** `POST /api/media/twilio-token`: a room-scoped token for the holder of a participant token. */
  async grantToken(participantToken: string | null): Promise<TwilioTokenResponse> {
    const hash = participantToken !== null && isWellFormedToken(participantToken) ? hashToken(participantToken) : null;
    const seat = hash === null ? null : await this.d.storage.participants.findByHash(hash);
    // An observer joins the same room under an identity of its own; its client publishes no tracks
    // (a Twilio grant cannot forbid publishing), and the room needs TWILIO_MAX_PARTICIPANTS ≥ 3.
    const watcher = hash === null || seat ? null : await this.d.storage.sessions.findObserverToken(hash);
    const record = seat ?? (watcher && hash !== null ? { ...watcher, role: `${OBSERVER_IDENTITY_PREFIX}${hash.slice(0, 16)}` } : null);
    const now = this.d.now();
    if (!record || (record.expiresAt !== null && record.expiresAt <= now)) {
      throw new ApiFailure(401, 'unauthorized', 'Unknown or expired participant token.');
    }
    const session = await this.d.storage.sessions.findById(record.sessionId);
    if (!session) throw new ApiFailure(401, 'unauthorized', 'Unknown or expired participant token.');
    if (session.status !== SessionStatus.active) throw new ApiFailure(410, 'session-ended', 'This session has ended.');
    if (session.expiresAt <= now) throw new ApiFailure(410, 'session-expired', 'This session has expired.');
    const twilio = this.d.twilio;
    if (this.d.mode !== MediaMode.twilio || !twilio) {
      throw new ApiFailure(409, 'not-twilio', 'This session does not run on Twilio Video.');
    }
    try {
      const grant = await twilio.grantVideo({
        sessionId: session.id,
        identity: record.role,
        session: { status: session.status, expiresAt: new Date(session.expiresAt) },
      });
      this.adoptRoom(session.id, grant.roomSid);
      return {
        token: grant.token,
        roomName: grant.roomName,
        identity: grant.identity,
        expiresAt: grant.expiresAt.toISOString(),
      };
    } catch (err) {
      if (err instanceof VideoGrantRefused) {
        throw new ApiFailure(410, err.reason, err.message);
      }
      this.d.log.warn(`[twilio] no video token for session ${session.id}: ${describe(err)}`);
      throw new ApiFailure(503, 'twilio-unavailable', 'The video service cannot be reached right now. Try again shortly.');
    }
  }

  // ---------- room life cycle ----------

  private onStarted(sessionId: string): void {
    if (this.usesNts) void this.mintSessionIce(sessionId);
    const twilio = this.d.twilio;
    if (this.d.mode !== MediaMode.twilio || !twilio) return;
    // Not awaited by the request: the first token request creates the room if this has not.
    twilio.rooms.createRoom(sessionId).then(
      (room) => this.adoptRoom(sessionId, room.sid),
      (err: unknown) => this.d.log.warn(`[twilio] could not create the room for session ${sessionId}: ${describe(err)}`),
    );
  }

  private onEnded(sessionId: string): void {
    this.sessionIce.delete(sessionId);
    const twilio = this.d.twilio;
    if (this.d.mode !== MediaMode.twilio || !twilio) return;
    // By SID when known: the unique name only resolves while the room is in progress.
    const target = this.rooms.get(sessionId)?.roomSid ?? roomNameForSession(sessionId);
    twilio.rooms.completeRoom(target).catch((err: unknown) => {
      this.d.log.warn(`[twilio] could not complete the room of session ${sessionId}: ${describe(err)}`);
    });
  }

  private track(sessionId: string): RoomTrack {
    let track = this.rooms.get(sessionId);
    if (!track) {
      if (this.rooms.size >= MAX_TRACKED_SESSIONS) {
        const oldest = this.rooms.keys().next().value;
        if (oldest !== undefined) this.rooms.delete(oldest);
      }
      track = { roomSid: null, endedRoomSids: new Set(), last: new Map(), seen: new Map(), participants: new Map() };
      this.rooms.set(sessionId, track);
    }
    return track;
  }

  private adoptRoom(sessionId: string, roomSid: string): void {
    const track = this.track(sessionId);
    if (track.endedRoomSids.has(roomSid) || track.roomSid === roomSid) return;
    track.roomSid = roomSid;
    track.participants.clear();
  }

  // ---------- status callbacks ----------

  /** Handler for verified Twilio status callbacks (see TwilioMedia.webhookHandlers). */
  async onTwilioEvent(event: TwilioRoomEvent): Promise<void> {
    if (event.sessionId === null) return;
    const session = await this.d.storage.sessions.findById(event.sessionId);
    if (!session) return;
    const track = this.track(session.id);
    if (track.endedRoomSids.has(event.roomSid)) return;
    // A callback about an older room of this session (Twilio closed it and a new one was made).
    if (track.roomSid !== null && track.roomSid !== event.roomSid) return;
    if (this.isStale(track, event)) return;
    track.roomSid = event.roomSid;

    const at = event.timestamp.getTime();
    switch (event.type) {
      case RoomStatusEvent.participantConnected:
      case RoomStatusEvent.participantDisconnected:
        await this.onParticipant(session, track, event, at);
        return;
      case RoomStatusEvent.roomEnded:
        track.endedRoomSids.add(event.roomSid);
        track.roomSid = null;
        track.participants.clear();
        this.d.events.emit('media-ended', { sessionId: session.id, at, durationSeconds: event.durationSeconds });
        return;
      case RoomStatusEvent.roomCreated:
        return;
    }
  }

  /**
   * Callbacks can arrive twice and out of order. A (RoomSid, SequenceNumber) pair counts once; an
   * event is stale only next to a later one about the same participant (or the room itself), so
   * an earlier event about the other participant that arrives late still counts.
   */
  private isStale(track: RoomTrack, event: TwilioRoomEvent): boolean {
    const at = event.timestamp.getTime();
    const sequence = event.sequenceNumber;
    const seen = track.seen.get(event.roomSid) ?? new Set<number>();
    if (sequence !== null && seen.has(sequence)) return true;
    const subject = `${event.roomSid}/${event.participantSid ?? 'room'}`;
    const last = track.last.get(subject);
    if (last) {
      const older = sequence !== null && last.sequence !== null ? sequence < last.sequence : at < last.at;
      if (older) return true;
    }
    if (sequence !== null) track.seen.set(event.roomSid, seen.add(sequence));
    track.last.set(subject, { sequence, at: Math.max(at, last?.at ?? at) });
    return false;
  }

  private async onParticipant(session: SessionRecord, track: RoomTrack, event: TwilioRoomEvent, at: number): Promise<void> {
    // Observers watch; they are not part of the call's state.
    if (event.participantIdentity?.startsWith(OBSERVER_IDENTITY_PREFIX)) return;
    const role = RoleSchema.safeParse(event.participantIdentity);
    if (!role.success) {
      this.d.log.warn(`[twilio] participant with unexpected identity in session ${session.id}`);
      return;
    }
    const connected = event.type === RoomStatusEvent.participantConnected;
    const current = track.participants.get(role.data);
    if (connected) {
      if (event.participantSid) track.participants.set(role.data, event.participantSid);
    } else {
      // The participant that this one replaced (reload, second tab) leaving changes nothing.
      if (current !== undefined && event.participantSid !== null && current !== event.participantSid) return;
      track.participants.delete(role.data);
    }
    if (connected && role.data === 'customer' && session.status === SessionStatus.active) {
      await this.d.hub.setCustomerStage({ sessionId: session.id, specialistName: session.agentName }, CustomerStage.inCall);
    }
    this.d.events.emit('media-participant', {
      sessionId: session.id,
      role: role.data,
      connected,
      at,
      durationSeconds: event.durationSeconds,
    });
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
