import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  ClientToRelaySchema,
  CloseCode,
  CustomerStage,
  ErrorCode,
  isDroppable,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  Role,
  type ClientToRelay,
  type MediaConfig,
  type MediaState,
  type Observer,
  type ParticipantState,
  type RelayToClient,
  type StageDetail,
} from '@live-assist/protocol';
import { otherRole, type AnyRoomFeature, type FeatureRoom, type FeatureSender } from './feature.js';
import { fanOutDelayMs, handlingUntil, whileHandling } from './fan-out.js';

/** The only thing a Room needs from a socket; the ws glue adapts real sockets to it. */
export interface RoomSocket {
  /**
   * `droppable`: a newer frame replaces this one (protocol's isDroppable), so a socket that is
   * behind may skip it; every other frame is sent or the socket closed.
   */
  send(text: string, droppable?: boolean): void;
  close(code: number, reason: string): void;
}

/** Handle the transport glue feeds incoming traffic into. */
export interface RoomConnection {
  receive(text: string): void;
  receiveBinary(): void;
  /** The transport closed (either side); safe to call more than once. */
  closed(): void;
  /** The socket said hello and holds its seat (or was closed by the room). */
  settled(): boolean;
}

export type EndReason = 'ended-by-specialist' | 'ended-by-customer' | 'expired';

/** Another agent watching the call (an observer token); `id` is not a secret. */
export interface ObserverIdentity {
  id: string;
  agentId: string;
  displayName: string;
}

export type ObserverEvent = 'joined' | 'left';

export interface RoomOptions {
  sessionId: string;
  /** A function when it can change during the session (TURN credentials are renewed): read at each welcome. */
  media: MediaConfig | (() => MediaConfig);
  /** Where the customer's browser goes once the session ends. */
  exitUrl: string;
  specialistName: string;
  customerName?: string;
  maxBadFramesInARow?: number;
  frameBudget?: FrameBudget;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
  newConnectionId?: () => string;
  features?: readonly AnyRoomFeature[];
  /** An observer's first socket said hello, or its last one went (the audit trail records both). */
  onObserver?: (event: ObserverEvent, observer: ObserverIdentity) => void;
  /** Each frame a client's frame causes for another socket: milliseconds since that frame arrived. */
  onFanOut?: (ms: number) => void;
}

/**
 * How many frames one socket may send: a steady rate plus a burst. Honest clients stay far below
 * it (pointer and strokes are coalesced to at most 125 frames a second, ICE candidates come in
 * dozens); a runaway or hostile page cannot make the relay and the other side process thousands.
 */
export interface FrameBudget {
  perSecond: number;
  burst: number;
}

export const DEFAULT_FRAME_BUDGET: FrameBudget = { perSecond: 200, burst: 400 };
const DEFAULT_MAX_BAD_FRAMES = 20;
const NO_MEDIA = { camera: false, microphone: false } as const;
/** Frames that only read state, answered to the asking socket: all an observer may send besides ping. */
const OBSERVER_READS: ReadonlySet<ClientToRelay['type']> = new Set(['chat-sync', 'annotation-sync', 'camera-sync']);
/** Frames for the customer that observers get too: the specialist's console draws these locally. */
const MIRRORED_FROM_CUSTOMER: ReadonlySet<RelayToClient['type']> = new Set([
  'annotation-start',
  'annotation-extend',
  'annotation-finish',
  'pointer',
  'mark-anchor',
]);

interface Connection {
  readonly socket: RoomSocket;
  readonly role: Role;
  /** Which participant token this socket authenticated with (its hash). */
  readonly participantKey: string;
  /** Set on a watch-only socket: it mirrors the specialist's view and holds no seat. */
  readonly observer: ObserverIdentity | null;
  connectionId: string | null;
  badFrames: number;
  done: boolean;
  /** Frames it may still send now (token bucket), refilled as time passes. */
  tokens: number;
  refilledAt: number;
  /** When it was last told its frames are being dropped (once a second at most). */
  limitedNoticeAt: number;
}

interface Seat {
  state: ParticipantState;
  active: Connection | null;
  /**
   * The page that held the seat last and what it said of its camera and microphone: when the same
   * page is back on a new socket, the other side is told its media as it was instead of "camera
   * off" until the page repeats its `media-state` (the picture never stopped, P2P keeps it).
   */
  lastPage: { instanceId: string; media: MediaState } | null;
}

export interface CustomerPresence {
  connected: boolean;
  /** Participant key holding the customer seat, when connected. */
  participantKey: string | null;
  stage: CustomerStage;
}

function shortIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(frame)'}: ${i.message}`)
    .join('; ');
}

/**
 * One session's live state: who is connected, their media and the customer's journey stage,
 * and forwarding of signaling between the two seats. One seat per role: a newer socket for a
 * role replaces the older one once it has said hello.
 */
export class Room {
  private readonly seats: Record<Role, Seat>;
  private readonly connections = new Set<Connection>();
  /** Observers who said hello, by participant key: one socket each, a newer one replaces it. */
  private readonly observers = new Map<string, Connection>();
  private readonly maxBadFrames: number;
  private readonly newConnectionId: () => string;
  private readonly budget: FrameBudget;
  private readonly now: () => number;
  private ended = false;
  /**
   * The specialist's offer made ahead (`offer-ahead`), for the next customer connection: it goes
   * out right behind that connection's welcome. Only this connection of the specialist's may be
   * its sender; a customer connection takes it or drops it.
   */
  private offerAhead: { connectionId: string; id: string; sdp: string; notFor: string | null } | null = null;
  private readonly features = new Map<string, AnyRoomFeature>();
  private readonly featureRoom: FeatureRoom;

  constructor(private readonly opts: RoomOptions) {
    for (const feature of opts.features ?? []) {
      for (const type of feature.frameTypes) this.features.set(type, feature);
    }
    this.featureRoom = {
      sessionId: opts.sessionId,
      sendTo: (role, frame) => {
        // Observers see what the specialist sees, whether or not the specialist is there, and
        // the specialist's own marks and pointer as the customer gets them.
        if (role === Role.specialist || MIRRORED_FROM_CUSTOMER.has(frame.type)) this.sendToObservers(frame);
        const conn = this.seats[role].active;
        if (!conn || conn.connectionId === null) return false;
        this.send(conn, frame);
        return true;
      },
      broadcast: (frame) => {
        for (const role of [Role.specialist, Role.customer]) this.featureRoom.sendTo(role, frame);
      },
      sendToObservers: (frame) => this.sendToObservers(frame),
      reject: (from, code, message) => {
        const conn = this.seats[from.role].active;
        if (conn && conn.connectionId === from.connectionId) this.rejectFrame(conn, code, message);
      },
      isConnected: (role) => this.seats[role].state.connected,
    };
    this.maxBadFrames = opts.maxBadFramesInARow ?? DEFAULT_MAX_BAD_FRAMES;
    this.newConnectionId = opts.newConnectionId ?? randomUUID;
    this.budget = opts.frameBudget ?? DEFAULT_FRAME_BUDGET;
    this.now = opts.now ?? (() => performance.now());
    this.seats = {
      specialist: {
        active: null,
        lastPage: null,
        state: {
          role: Role.specialist,
          connectionId: null,
          connected: false,
          displayName: opts.specialistName.slice(0, 200),
          media: { ...NO_MEDIA },
        },
      },
      customer: {
        active: null,
        lastPage: null,
        state: {
          role: Role.customer,
          connectionId: null,
          connected: false,
          displayName: (opts.customerName ?? 'Customer').slice(0, 200),
          media: { ...NO_MEDIA },
          stage: CustomerStage.waiting,
        },
      },
    };
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  participants(): ParticipantState[] {
    return [structuredClone(this.seats.specialist.state), structuredClone(this.seats.customer.state)];
  }

  customerPresence(): CustomerPresence {
    const seat = this.seats.customer;
    return {
      connected: seat.state.connected,
      participantKey: seat.active?.participantKey ?? null,
      stage: seat.state.stage ?? CustomerStage.waiting,
    };
  }

  /** Stage changes the relay itself observes (link opened, consent given). */
  setCustomerStage(stage: CustomerStage, detail?: StageDetail): void {
    const state = this.seats.customer.state;
    if (state.stage === stage && state.stageDetail === detail) return;
    state.stage = stage;
    if (detail === undefined) delete state.stageDetail;
    else state.stageDetail = detail;
    this.broadcastParticipant(Role.customer);
  }

  /** The invite was fetched: show it unless the customer is already further along. */
  noteLinkOpened(): void {
    const stage = this.seats.customer.state.stage;
    if (stage === CustomerStage.waiting || stage === CustomerStage.left) {
      this.setCustomerStage(CustomerStage.openedLink);
    }
  }

  /**
   * Another agent took the specialist seat: the current specialist socket is closed and the
   * customer learns the new name (the page tells the customer who took over).
   */
  takeOver(specialistName: string): void {
    const seat = this.seats.specialist;
    seat.state.displayName = specialistName.slice(0, 200);
    if (seat.active) this.closeConnection(seat.active, CloseCode.replaced, 'another agent took over the call');
    this.broadcastParticipant(Role.specialist);
  }

  /** Closes every socket without ending the session (relay shutdown); clients reconnect later. */
  disconnectAll(code: number, reason: string): void {
    for (const conn of [...this.connections]) this.closeConnection(conn, code, reason);
  }

  /** Who is watching, in the order they came. */
  observerList(): Observer[] {
    return [...this.observers.values()].flatMap((c) =>
      c.observer ? [{ id: c.observer.id, displayName: c.observer.displayName.slice(0, 200) }] : [],
    );
  }

  /** Registers a freshly authenticated socket. It joins its seat (or watches) when it says hello. */
  attach(role: Role, participantKey: string, socket: RoomSocket, observer: ObserverIdentity | null = null): RoomConnection {
    const conn: Connection = {
      socket,
      // An observer mirrors the specialist: frames about and for the specialist reach it too.
      role: observer ? Role.specialist : role,
      participantKey,
      observer,
      connectionId: null,
      badFrames: 0,
      done: false,
      tokens: this.budget.burst,
      refilledAt: this.now(),
      limitedNoticeAt: -Infinity,
    };
    if (this.ended) {
      conn.done = true;
      socket.close(CloseCode.sessionEnded, 'session ended');
      return { receive() {}, receiveBinary() {}, closed() {}, settled: () => true };
    }
    this.connections.add(conn);
    return {
      receive: (text) => whileHandling(conn, () => this.receive(conn, text)),
      receiveBinary: () => this.rejectFrame(conn, ErrorCode.badFrame, 'binary frames are not supported'),
      closed: () => this.detach(conn),
      settled: () => conn.done || conn.connectionId !== null,
    };
  }

  /** Tells everyone the session is over and closes every socket (4410). */
  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    for (const feature of this.featureSet()) feature.ended?.();
    const watching = [...this.observers.values()];
    this.observers.clear();
    for (const conn of [...this.connections]) {
      if (conn.connectionId !== null) {
        this.send(conn, {
          type: 'session-ended',
          reason,
          ...(conn.role === Role.customer ? { redirectUrl: this.opts.exitUrl } : {}),
        });
      }
      this.closeConnection(conn, CloseCode.sessionEnded, 'session ended');
    }
    for (const seat of Object.values(this.seats)) {
      seat.active = null;
      seat.state.connected = false;
      seat.state.connectionId = null;
      delete seat.state.instanceId;
      seat.lastPage = null;
    }
    for (const conn of watching) if (conn.observer) this.opts.onObserver?.('left', conn.observer);
  }

  private receive(conn: Connection, text: string): void {
    if (conn.done) return;
    if (Buffer.byteLength(text, 'utf8') > MAX_FRAME_BYTES) {
      this.send(conn, {
        type: 'error',
        code: ErrorCode.frameTooLarge,
        message: `frames are limited to ${MAX_FRAME_BYTES} bytes`,
      });
      this.closeConnection(conn, CloseCode.frameTooLarge, 'frame too large');
      return;
    }
    if (!this.withinBudget(conn)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.rejectFrame(conn, ErrorCode.badFrame, 'frame is not valid JSON');
      return;
    }
    const parsed = ClientToRelaySchema.safeParse(raw);
    if (!parsed.success) {
      this.rejectFrame(conn, ErrorCode.badFrame, shortIssues(parsed.error));
      return;
    }
    const frame = parsed.data;
    if (conn.connectionId === null) {
      if (frame.type !== 'hello') {
        this.rejectFrame(conn, ErrorCode.helloRequired, 'send hello first');
        return;
      }
      this.hello(conn, frame.protocolVersion, frame.instanceId ?? null);
      return;
    }
    conn.badFrames = 0;
    if (conn.observer) {
      this.handleObserver(conn, frame);
      return;
    }
    this.handle(conn, frame);
  }

  /** Spends one frame of the socket's budget; over it, the frame is dropped and the sender told. */
  private withinBudget(conn: Connection): boolean {
    const now = this.now();
    const { perSecond, burst } = this.budget;
    conn.tokens = Math.min(burst, conn.tokens + ((now - conn.refilledAt) / 1000) * perSecond);
    conn.refilledAt = now;
    if (conn.tokens >= 1) {
      conn.tokens -= 1;
      return true;
    }
    if (now - conn.limitedNoticeAt >= 1000) {
      conn.limitedNoticeAt = now;
      this.send(conn, {
        type: 'error',
        code: ErrorCode.rateLimited,
        message: `more than ${perSecond} frames a second: frames are being dropped`,
      });
    }
    return false;
  }

  private hello(conn: Connection, version: number, instanceId: string | null): void {
    if (version !== PROTOCOL_VERSION) {
      this.send(conn, {
        type: 'error',
        code: ErrorCode.unsupportedVersion,
        message: `this relay speaks protocol version ${PROTOCOL_VERSION}; reload the page`,
      });
      this.closeConnection(conn, CloseCode.unsupportedVersion, 'unsupported protocol version');
      return;
    }
    if (conn.observer) {
      this.observerHello(conn, conn.observer);
      return;
    }
    const seat = this.seats[conn.role];
    const previous = seat.active;
    if (previous && previous !== conn) {
      // Hand the seat over without a "disconnected" blip to the other side.
      seat.active = null;
      this.closeConnection(previous, CloseCode.replaced, 'replaced');
    }
    conn.badFrames = 0;
    conn.connectionId = this.newConnectionId();
    seat.active = conn;
    seat.state.connected = true;
    seat.state.connectionId = conn.connectionId;
    if (instanceId !== null) seat.state.instanceId = instanceId;
    else delete seat.state.instanceId;
    // A new page starts with nothing on until it says otherwise; the same page is as it was.
    const samePage = instanceId !== null && seat.lastPage?.instanceId === instanceId;
    seat.state.media = samePage && seat.lastPage ? { ...seat.lastPage.media } : { ...NO_MEDIA };
    seat.lastPage = instanceId !== null ? { instanceId, media: { ...seat.state.media } } : null;
    this.send(conn, {
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: this.opts.sessionId,
      role: conn.role,
      connectionId: conn.connectionId,
      media: typeof this.opts.media === 'function' ? this.opts.media() : this.opts.media,
      participants: this.participants(),
    });
    if (conn.role === Role.customer) this.handOfferAhead(conn, instanceId);
    this.sendParticipantTo(otherRole(conn.role), conn.role);
    if (conn.role === Role.specialist) this.sendToObservers({ type: 'participant', participant: structuredClone(seat.state) });
    this.send(conn, { type: 'observers', observers: this.observerList() });
    for (const feature of this.featureSet()) {
      this.runFeature(conn, () => feature.joined?.(conn.role, this.featureRoom));
    }
  }

  private observerHello(conn: Connection, observer: ObserverIdentity): void {
    const previous = this.observers.get(conn.participantKey);
    if (previous && previous !== conn) {
      // A reload of the same observer: no "left" and "joined" for the others.
      this.observers.delete(conn.participantKey);
      this.closeConnection(previous, CloseCode.replaced, 'replaced');
    }
    conn.badFrames = 0;
    conn.connectionId = this.newConnectionId();
    this.observers.set(conn.participantKey, conn);
    this.send(conn, {
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: this.opts.sessionId,
      role: Role.specialist,
      observer: true,
      connectionId: conn.connectionId,
      media: typeof this.opts.media === 'function' ? this.opts.media() : this.opts.media,
      participants: this.participants(),
    });
    if (previous) this.send(conn, { type: 'observers', observers: this.observerList() });
    else {
      this.opts.onObserver?.('joined', observer);
      this.broadcastObservers();
    }
    // The current marks and location (the chat client asks with chat-sync).
    const only = this.observerRoom(conn);
    for (const feature of this.featureSet()) {
      this.runFeature(conn, () => feature.observerJoined?.(only));
    }
  }

  /** A feature room whose "specialist" is this one observer socket: answers reach it alone. */
  private observerRoom(conn: Connection): FeatureRoom {
    return {
      ...this.featureRoom,
      sendTo: (role, frame) => {
        if (role !== Role.specialist) return false;
        this.send(conn, frame);
        return true;
      },
      broadcast: (frame) => this.send(conn, frame),
      sendToObservers: (frame) => this.send(conn, frame),
    };
  }

  /**
   * Watching only: pings, re-reading the chat and marks, and negotiating the forwarded picture with
   * the specialist (P2P); no chat, marks, freeze, media state or call signaling.
   */
  private handleObserver(conn: Connection, frame: ClientToRelay): void {
    if (frame.type === 'ping') {
      this.send(conn, { type: 'pong', t: frame.t });
      return;
    }
    if (frame.type === 'watch-request' || frame.type === 'watch-signal') {
      this.watchFromObserver(conn, frame);
      return;
    }
    const feature = this.features.get(frame.type);
    if (feature && OBSERVER_READS.has(frame.type)) {
      const from: FeatureSender = { role: Role.specialist, connectionId: conn.connectionId ?? '' };
      this.runFeature(conn, () => feature.handle(frame as never, from, this.observerRoom(conn)));
      return;
    }
    this.rejectFrame(conn, ErrorCode.forbidden, 'an observer can only watch this call');
  }

  /** An observer's request or negotiation step, to the specialist, named by the observer's id. */
  private watchFromObserver(conn: Connection, frame: Extract<ClientToRelay, { type: 'watch-request' | 'watch-signal' }>): void {
    const specialist = this.seats.specialist.active;
    const observerId = conn.observer?.id ?? '';
    if (!specialist || specialist.connectionId === null) {
      // A request waits for nobody: the specialist offers to every observer when it arrives.
      if (frame.type === 'watch-signal')
        this.send(conn, { type: 'error', code: ErrorCode.noPeer, message: 'the specialist is not connected' });
      return;
    }
    this.send(
      specialist,
      frame.type === 'watch-request'
        ? { type: 'watch-request', observerId, ...(frame.offerId === undefined ? {} : { offerId: frame.offerId }) }
        : { type: 'watch-signal', observerId, offerId: frame.offerId, signal: frame.signal },
    );
  }

  /** The specialist's negotiation step, to the one observer it names. */
  private watchToObserver(conn: Connection, frame: Extract<ClientToRelay, { type: 'watch-signal' }>): void {
    if (conn.role !== Role.specialist) {
      this.rejectFrame(conn, ErrorCode.forbidden, 'only the specialist forwards the picture to observers');
      return;
    }
    const observer = [...this.observers.values()].find((c) => c.observer?.id === frame.observerId && c.connectionId !== null);
    if (!observer || !frame.observerId) {
      this.send(conn, { type: 'error', code: ErrorCode.noPeer, message: 'that observer is not connected' });
      return;
    }
    this.send(observer, { type: 'watch-signal', observerId: frame.observerId, offerId: frame.offerId, signal: frame.signal });
  }

  private sendToObservers(frame: RelayToClient): void {
    for (const conn of this.observers.values()) if (conn.connectionId !== null) this.send(conn, frame);
  }

  private broadcastObservers(): void {
    const frame: RelayToClient = { type: 'observers', observers: this.observerList() };
    for (const role of [Role.specialist, Role.customer]) {
      const conn = this.seats[role].active;
      if (conn && conn.connectionId !== null) this.send(conn, frame);
    }
    this.sendToObservers(frame);
  }

  /** Every feature, including those that only observe joins, leaves and the end (no frame types). */
  private featureSet(): Set<AnyRoomFeature> {
    return new Set(this.opts.features ?? []);
  }

  /** Feature code must never take the room down: failures become an error frame to `conn`. */
  private runFeature(conn: Connection, work: () => void | Promise<void>): void {
    const fail = (error: unknown) => {
      this.send(conn, {
        type: 'error',
        code: ErrorCode.badFrame,
        message: error instanceof Error ? error.message : 'the relay could not process this frame',
      });
    };
    try {
      const result = work();
      if (result instanceof Promise) {
        handlingUntil(result);
        result.catch(fail);
      }
    } catch (error) {
      fail(error);
    }
  }

  private handle(conn: Connection, frame: ClientToRelay): void {
    const feature = this.features.get(frame.type);
    if (feature) {
      const from: FeatureSender = { role: conn.role, connectionId: conn.connectionId ?? '' };
      // Looked up by the frame's type, so the frame is one the feature lists.
      this.runFeature(conn, () => feature.handle(frame as never, from, this.featureRoom));
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.rejectFrame(conn, ErrorCode.badFrame, 'hello was already received');
        return;
      case 'ping':
        this.send(conn, { type: 'pong', t: frame.t });
        return;
      case 'signal': {
        const peer = this.seats[otherRole(conn.role)].active;
        if (!peer || peer.connectionId === null) {
          this.send(conn, { type: 'error', code: ErrorCode.noPeer, message: 'the other participant is not connected' });
          return;
        }
        this.send(peer, {
          type: 'signal',
          from: conn.role,
          fromConnectionId: conn.connectionId ?? '',
          signal: frame.signal,
        });
        return;
      }
      case 'offer-ahead':
        if (conn.role !== Role.specialist) {
          this.rejectFrame(conn, ErrorCode.forbidden, 'only the specialist offers');
          return;
        }
        // A customer already here gets the specialist's own offer, which it sends on seeing them.
        this.offerAhead =
          frame.sdp !== null && conn.connectionId !== null && !this.seats[Role.customer].active
            ? { connectionId: conn.connectionId, id: frame.id, sdp: frame.sdp, notFor: frame.notFor ?? null }
            : null;
        return;
      case 'watch-signal':
        this.watchToObserver(conn, frame);
        return;
      case 'watch-request':
        this.rejectFrame(conn, ErrorCode.forbidden, 'only an observer asks for the picture');
        return;
      case 'media-state': {
        const seat = this.seats[conn.role];
        seat.state.media = frame.media;
        if (seat.lastPage) seat.lastPage.media = { ...frame.media };
        this.broadcastParticipant(conn.role);
        return;
      }
      case 'stage':
        if (conn.role !== Role.customer) {
          this.send(conn, { type: 'error', code: ErrorCode.forbidden, message: 'only the customer reports a stage' });
          return;
        }
        this.setCustomerStage(frame.stage, frame.detail);
        return;
    }
  }

  /**
   * A customer connection said hello: the specialist's offer made ahead goes to it now, and the
   * specialist hears so before it hears of the connection (it then sends no offer of its own).
   */
  private handOfferAhead(customer: Connection, instanceId: string | null): void {
    const ahead = this.offerAhead;
    this.offerAhead = null;
    const specialist = this.seats[Role.specialist].active;
    if (!ahead || !specialist || specialist.connectionId !== ahead.connectionId || customer.connectionId === null) return;
    // The page the specialist still has a pair with, back on a new socket: it keeps that pair.
    if (instanceId !== null && instanceId === ahead.notFor) return;
    this.send(specialist, { type: 'offer-ahead-taken', id: ahead.id, by: customer.connectionId });
    this.send(customer, {
      type: 'signal',
      from: Role.specialist,
      fromConnectionId: ahead.connectionId,
      signal: { kind: 'offer', sdp: ahead.sdp },
    });
  }

  private rejectFrame(conn: Connection, code: ErrorCode, message: string): void {
    if (conn.done) return;
    conn.badFrames += 1;
    this.send(conn, { type: 'error', code, message });
    if (conn.badFrames >= this.maxBadFrames) {
      this.closeConnection(conn, CloseCode.tooManyBadFrames, 'too many bad frames');
    }
  }

  private detach(conn: Connection): void {
    conn.done = true;
    this.connections.delete(conn);
    this.vacate(conn);
  }

  /** Frees the seat if `conn` holds it and tells the other side. */
  private vacate(conn: Connection): void {
    if (conn.observer) {
      if (this.observers.get(conn.participantKey) !== conn) return;
      this.observers.delete(conn.participantKey);
      if (!this.ended) {
        this.opts.onObserver?.('left', conn.observer);
        this.broadcastObservers();
      }
      return;
    }
    const seat = this.seats[conn.role];
    if (seat.active !== conn) return;
    seat.active = null;
    seat.state.connected = false;
    seat.state.connectionId = null;
    delete seat.state.instanceId;
    seat.state.media = { ...NO_MEDIA };
    if (!this.ended) {
      this.sendParticipantTo(otherRole(conn.role), conn.role);
      // Observers watch the specialist's seat too (the customer's reaches them as the specialist's view).
      if (conn.role === Role.specialist) this.sendToObservers({ type: 'participant', participant: structuredClone(seat.state) });
      for (const feature of this.featureSet()) feature.left?.(conn.role, this.featureRoom);
    }
  }

  private closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.done) return;
    conn.done = true;
    this.connections.delete(conn);
    this.vacate(conn);
    conn.socket.close(code, reason);
  }

  private broadcastParticipant(role: Role): void {
    this.sendParticipantTo(Role.specialist, role);
    this.sendParticipantTo(Role.customer, role);
  }

  private sendParticipantTo(target: Role, about: Role): void {
    if (target === Role.specialist) this.sendToObservers({ type: 'participant', participant: structuredClone(this.seats[about].state) });
    const conn = this.seats[target].active;
    if (conn) this.send(conn, { type: 'participant', participant: structuredClone(this.seats[about].state) });
  }

  private send(conn: Connection, frame: RelayToClient): void {
    if (conn.done) return;
    conn.socket.send(JSON.stringify(frame), isDroppable(frame));
    if (this.opts.onFanOut) {
      const ms = fanOutDelayMs(conn);
      if (ms !== null) this.opts.onFanOut(ms);
    }
  }
}
