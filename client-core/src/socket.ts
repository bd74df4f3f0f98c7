import {
  CloseCode,
  PROTOCOL_VERSION,
  RelayToClientSchema,
  type ClientToRelay,
  type ParticipantState,
  type RelayToClient,
  type Role,
} from '@live-assist/protocol';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { browserSocketFactory, type NetworkSignal, type SocketFactory, type SocketLike } from './socket-factory.js';

export type WelcomeFrame = Extract<RelayToClient, { type: 'welcome' }>;
export type RelayedSignalFrame = Extract<RelayToClient, { type: 'signal' }>;
export type SessionEndedFrame = Extract<RelayToClient, { type: 'session-ended' }>;
export type RelayErrorFrame = Extract<RelayToClient, { type: 'error' }>;

export const RelaySocketStatus = {
  idle: 'idle',
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  closed: 'closed',
} as const;
export type RelaySocketStatus = (typeof RelaySocketStatus)[keyof typeof RelaySocketStatus];

export type RelaySocketEvents = {
  welcome: WelcomeFrame;
  participant: ParticipantState;
  signal: RelayedSignalFrame;
  'session-ended': SessionEndedFrame;
  error: RelayErrorFrame;
  status: RelaySocketStatus;
  /** A reconnect was scheduled; `attempt` counts failures since the last welcome. */
  reconnect: { attempt: number; delayMs: number };
  /** The socket stopped for good (terminal close code or `close()`); it will not reconnect. */
  closed: { code: number; reason: string };
  /** Every valid relay frame, so feature frames (journey, chat, …) need no event of their own. */
  frame: RelayToClient;
};

/**
 * Close codes after which reconnecting cannot help: the relay has decided. Everything else —
 * 1012 (`CloseCode.relayRestart`, a relay shutting down) included — reconnects with backoff.
 */
const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unsupportedVersion,
  CloseCode.unauthorized,
  CloseCode.replaced,
  CloseCode.sessionEnded,
]);

/** Frames that describe current state: the newest one is re-sent after every (re)connect. */
type StickyFrame = Extract<ClientToRelay, { type: 'stage' | 'media-state' | 'location' }>;

export type RelaySocketOptions = {
  /** `ws://host:port` or `wss://host` (no trailing slash). */
  wsBase: string;
  token: string;
  factory?: SocketFactory;
  backoff?: BackoffOptions;
  random?: () => number;
  /** A socket that received nothing for 2.5 × this is treated as dead; 0 turns pings off. */
  heartbeatMs?: number;
  /**
   * Going offline drops the socket at once (the page shows it is reconnecting instead of waiting
   * for a heartbeat to time out); coming back online reconnects at once instead of after the
   * backoff, so a phone that switched networks is back within a round trip.
   */
  network?: NetworkSignal | null;
  logger?: Pick<Console, 'warn'>;
  /** This page's `instanceId` (protocol `hello`); tests pass their own, pages get a random one. */
  instanceId?: string;
};

/** 128 random bits as hex: a page's name for its life, unguessable enough never to collide. */
export function newInstanceId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The relay WebSocket for one participant: hello, validated frames, reconnect with backoff. */
export class RelaySocket {
  private readonly emitter = new Emitter<RelaySocketEvents>();
  private readonly factory: SocketFactory;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly heartbeatMs: number;
  private readonly logger: Pick<Console, 'warn'>;
  private readonly sticky = new Map<StickyFrame['type'], StickyFrame>();
  private readonly participantsByRole = new Map<Role, ParticipantState>();
  private socket: SocketLike | null = null;
  /** Bumped for every new socket so late events of a dropped socket are ignored. */
  private generation = 0;
  private statusValue: RelaySocketStatus = RelaySocketStatus.idle;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private welcomeValue: WelcomeFrame | null = null;
  private unsubscribeNetwork: (() => void) | null = null;
  /**
   * Sent in every hello, the same across reconnects: the other side keeps a peer connection that
   * still carries media when this page comes back on a new socket (docs/contract.md "P2P negotiation").
   */
  readonly instanceId: string;

  constructor(private readonly options: RelaySocketOptions) {
    this.instanceId = options.instanceId ?? newInstanceId();
    this.factory = options.factory ?? browserSocketFactory;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.logger = options.logger ?? console;
  }

  get status(): RelaySocketStatus {
    return this.statusValue;
  }

  /** The latest welcome (kept across reconnects until the next one arrives). */
  get welcome(): WelcomeFrame | null {
    return this.welcomeValue;
  }

  /** Reconnect attempts since the last welcome; callers may check the invite after a few. */
  get failedAttempts(): number {
    return this.failures;
  }

  participant(role: Role): ParticipantState | null {
    return this.participantsByRole.get(role) ?? null;
  }

  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  connect(): void {
    if (this.statusValue !== RelaySocketStatus.idle) return;
    this.unsubscribeNetwork = this.options.network?.subscribe((online) => this.onNetwork(online)) ?? null;
    this.open(RelaySocketStatus.connecting);
  }

  /**
   * Sends now when the session is open. State frames (`stage`, `media-state`) are also kept and
   * re-sent after each reconnect; signals and pings are dropped while offline: a peer connection
   * whose offer or answer may have been lost so is negotiated afresh once the socket is back (P2P
   * keeps only a settled pair across a reconnect). Returns whether the frame was sent or will be.
   */
  send(frame: ClientToRelay): boolean {
    if (this.statusValue === RelaySocketStatus.closed) return false;
    if (frame.type === 'hello') return false;
    // `location` is the customer's one answer to the location step; re-sending it is idempotent.
    const sticky = frame.type === 'stage' || frame.type === 'media-state' || frame.type === 'location';
    if (sticky) this.sticky.set(frame.type, frame);
    if (this.statusValue === RelaySocketStatus.open && this.socket) {
      this.rawSend(frame);
      return true;
    }
    return sticky;
  }

  /** Stops for good. Idempotent. */
  close(code = 1000, reason = 'client closed'): void {
    if (this.statusValue === RelaySocketStatus.closed) return;
    this.clearTimers();
    this.unsubscribeNetwork?.();
    this.unsubscribeNetwork = null;
    this.generation += 1;
    const socket = this.socket;
    this.socket = null;
    try {
      socket?.close(code, reason);
    } catch (err) {
      this.logger.warn('[relay-socket] close failed', err);
    }
    this.setStatus(RelaySocketStatus.closed);
    this.emitter.emit('closed', { code, reason });
  }

  private open(status: RelaySocketStatus): void {
    this.setStatus(status);
    this.generation += 1;
    const generation = this.generation;
    const current = () => generation === this.generation;
    const url = `${this.options.wsBase}/ws?token=${encodeURIComponent(this.options.token)}`;
    try {
      this.socket = this.factory(url, {
        onOpen: () => {
          if (!current()) return;
          this.lastFrameAt = Date.now();
          this.rawSend({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: this.instanceId });
          this.startHeartbeat();
        },
        onMessage: (data) => {
          if (current()) this.handleMessage(data);
        },
        onClose: (code, reason) => {
          if (current()) this.handleClose(code, reason);
        },
      });
    } catch (err) {
      this.logger.warn('[relay-socket] could not open socket', err);
      this.socket = null;
      this.scheduleReconnect();
    }
  }

  private handleMessage(data: string): void {
    this.lastFrameAt = Date.now();
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.logger.warn('[relay-socket] dropped a frame that is not JSON');
      return;
    }
    const parsed = RelayToClientSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn('[relay-socket] dropped an invalid frame', parsed.error.issues);
      return;
    }
    const frame = parsed.data;
    this.emitter.emit('frame', frame);
    switch (frame.type) {
      case 'welcome':
        this.welcomeValue = frame;
        this.failures = 0;
        this.participantsByRole.clear();
        for (const p of frame.participants) this.participantsByRole.set(p.role, p);
        this.setStatus(RelaySocketStatus.open);
        for (const sticky of this.sticky.values()) this.rawSend(sticky);
        this.emitter.emit('welcome', frame);
        break;
      case 'participant':
        this.participantsByRole.set(frame.participant.role, frame.participant);
        this.emitter.emit('participant', frame.participant);
        break;
      case 'signal':
        this.emitter.emit('signal', frame);
        break;
      case 'session-ended':
        this.emitter.emit('session-ended', frame);
        break;
      case 'error':
        this.logger.warn(`[relay-socket] relay error ${frame.code}: ${frame.message}`);
        this.emitter.emit('error', frame);
        break;
      case 'pong':
        break;
    }
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    this.stopHeartbeat();
    if (TERMINAL_CLOSE_CODES.has(code)) {
      this.clearTimers();
      this.unsubscribeNetwork?.();
      this.unsubscribeNetwork = null;
      this.setStatus(RelaySocketStatus.closed);
      this.emitter.emit('closed', { code, reason });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.statusValue === RelaySocketStatus.closed) return;
    const delayMs = backoffDelay(this.failures, this.backoff, this.random);
    this.failures += 1;
    this.setStatus(RelaySocketStatus.reconnecting);
    this.emitter.emit('reconnect', { attempt: this.failures, delayMs });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open(RelaySocketStatus.reconnecting);
    }, delayMs);
  }

  private onNetwork(online: boolean): void {
    if (this.statusValue === RelaySocketStatus.closed) return;
    if (!online) {
      if (this.socket) this.drop(4001, 'network lost');
      return;
    }
    if (this.statusValue !== RelaySocketStatus.reconnecting || this.socket) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open(RelaySocketStatus.reconnecting);
  }

  /** Abandons the current socket (its late events are ignored) and reconnects with backoff. */
  private drop(code: number, reason: string): void {
    const socket = this.socket;
    this.generation += 1;
    this.socket = null;
    this.stopHeartbeat();
    try {
      socket?.close(code, reason);
    } catch {
      // The socket is already unusable; we only want it gone.
    }
    this.scheduleReconnect();
  }

  /** Browsers notice a dead mobile connection late; pings let us notice it ourselves. */
  private startHeartbeat(): void {
    this.stopHeartbeat();
    if (this.heartbeatMs <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > this.heartbeatMs * 2.5) {
        this.drop(4000, 'heartbeat timeout');
        return;
      }
      if (this.statusValue === RelaySocketStatus.open) this.rawSend({ type: 'ping', t: Date.now() });
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private rawSend(frame: ClientToRelay): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch (err) {
      this.logger.warn('[relay-socket] send failed', err);
    }
  }

  private setStatus(status: RelaySocketStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emitter.emit('status', status);
  }
}
