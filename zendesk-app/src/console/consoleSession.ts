import {
  CloseCode,
  Role,
  SessionStatus,
  type ClientToRelay,
  type CustomerLocation,
  type MediaConfig,
  type Observer,
  type ParticipantState,
  type QualityStep,
  type SessionView,
} from '@live-assist/protocol';
import {
  LaneSwitch,
  TwilioCallError,
  type CallState,
  type CallTransport,
  type NetworkQuality,
  type RelaySocketEvents,
  type RelaySocketStatus,
} from '@live-assist/client-core';
import { RelayApiError, type AgentApi } from '../api/relayApi';
import { Store } from '../store/store';

/** The part of `RelaySocket` the console uses (tests drive a fake). */
export interface ConsoleSocket {
  readonly status: RelaySocketStatus;
  connect(): void;
  close(code?: number, reason?: string): void;
  send(frame: ClientToRelay): boolean;
  participant(role: Role): ParticipantState | null;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

type P2PMedia = Extract<MediaConfig, { mode: 'p2p' }>;

/** What the specialist's console feeds the observers: the customer's stream as the call has it. */
export interface WatchSource {
  setSource(stream: MediaStream | null): void;
  close(): void;
}

/** The observer's end: the forwarded picture, asked for again on every welcome. */
export interface WatchSink {
  request(): void;
  on(event: 'remoteStream', handler: (stream: MediaStream | null) => void): () => void;
  close(): void;
}

export type ConsoleDeps = {
  api: AgentApi;
  createSocket(specialistToken: string): ConsoleSocket;
  /** null when this build cannot carry the relay's media mode. */
  /** `specialistToken` authorises engines that need their own credentials (Twilio access tokens). */
  /**
   * `watchOnly`: an observer's console (Twilio only): it subscribes and publishes nothing, and sends
   * no frames over the relay socket, which would refuse them.
   */
  createTransport(socket: ConsoleSocket, media: MediaConfig, specialistToken: string, watchOnly?: boolean): CallTransport | null;
  /**
   * P2P watching (client-core watch.ts): the specialist's console forwards the customer's picture
   * to observers, an observer's console receives it. Absent: no picture for observers in P2P.
   */
  createWatchForwarder?(socket: ConsoleSocket, media: P2PMedia): WatchSource;
  createWatchReceiver?(socket: ConsoleSocket, media: P2PMedia): WatchSink;
  /** The agent's own camera and microphone; rejects with a `MediaAccessError`-like error. */
  acquireMedia(): Promise<MediaStream>;
  /** Used when the agent has no camera: the call still runs, receive-only. */
  emptyStream(): MediaStream;
};

export const ConsolePhase = {
  loading: 'loading',
  noSession: 'no-session',
  connecting: 'connecting',
  live: 'live',
  ended: 'ended',
  failed: 'failed',
} as const;
export type ConsolePhase = (typeof ConsolePhase)[keyof typeof ConsolePhase];

export const ConsoleProblem = {
  load: 'load',
  signedOut: 'signed-out',
  /** This session was opened in another console window, which took over. */
  replaced: 'replaced',
  /** Another agent holds the specialist seat; taking over is done from the sidebar. */
  heldElsewhere: 'held-elsewhere',
  unsupportedMedia: 'unsupported-media',
  end: 'end',
  call: 'call',
} as const;
export type ConsoleProblem = (typeof ConsoleProblem)[keyof typeof ConsoleProblem];

export const OwnMedia = { pending: 'pending', ready: 'ready', unavailable: 'unavailable' } as const;
export type OwnMedia = (typeof OwnMedia)[keyof typeof OwnMedia];

export type ConsoleState = {
  phase: ConsolePhase;
  session: SessionView | null;
  customer: ParticipantState | null;
  /** The customer's answer to the location step; null until answered. */
  location: CustomerLocation | null;
  socket: RelaySocketStatus;
  call: CallState;
  ownMedia: OwnMedia;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  ending: boolean;
  problem: ConsoleProblem | null;
  /** 0–5 per side while the media engine measures it (Twilio); null otherwise. */
  networkQuality: NetworkQuality | null;
  /**
   * The quality ladder's step for what the customer's phone sends (its \`link-quality\` frames):
   * \`audio\` means its picture is paused and the call runs on voice alone.
   */
  customerStep: QualityStep;
  /** Translation key of a media-engine failure (`twilio.room-full` …), cleared once connected. */
  callError: string | null;
  /** Other agents watching the call (the customer is told about each of them). */
  observers: Observer[];
  /**
   * This console watches a call another agent holds: no media of its own, no drawing, freezing,
   * chatting or ending. It sees the chat, the marks, the customer's progress and video (in P2P
   * mode forwarded by the specialist's console: the phone keeps one peer connection).
   */
  observing: boolean;
};

const initialState: ConsoleState = {
  phase: ConsolePhase.loading,
  session: null,
  customer: null,
  location: null,
  socket: 'idle',
  call: 'idle',
  ownMedia: OwnMedia.pending,
  localStream: null,
  remoteStream: null,
  ending: false,
  problem: null,
  networkQuality: null,
  customerStep: 'high',
  callError: null,
  observers: [],
  observing: false,
};

/**
 * The specialist console's call: finds the ticket's session, holds the specialist socket and the
 * media transport, and tracks the customer from `participant` frames. No React, no DOM.
 */
export class ConsoleSession {
  readonly state = new Store<ConsoleState>(initialState);
  /** Straight to the customer's page while the P2P pair is up (the pointer's fast way). */
  readonly lane = new LaneSwitch();
  private socket: ConsoleSocket | null = null;
  private transport: CallTransport | null = null;
  private media: Promise<MediaStream> | null = null;
  private readonly offs: Array<() => void> = [];
  private disposed = false;
  private watching: string | null = null;
  private watchEnd: WatchSource | WatchSink | null = null;

  constructor(private readonly deps: ConsoleDeps) {}

  /** The observer token once this console watches a call (read-only features use it). */
  get watchToken(): string | null {
    return this.watching;
  }

  /** The live relay socket, for session features (annotations, …) that share it. */
  get relaySocket(): ConsoleSocket | null {
    return this.socket;
  }

  /** `observe`: the agent chose "Watch" in the sidebar; a watch-only token is asked for now. */
  async start(ticketId: number, observe = false): Promise<void> {
    let session: SessionView | null;
    try {
      session = await this.deps.api.ticketSession(ticketId);
    } catch (err) {
      if (!this.disposed) this.fail(isSignedOut(err) ? ConsoleProblem.signedOut : ConsoleProblem.load);
      return;
    }
    if (this.disposed) return;
    if (!session) {
      this.state.update({ phase: ConsolePhase.noSession });
      return;
    }
    this.state.update({ session });
    if (session.status === SessionStatus.ended) {
      this.state.update({ phase: ConsolePhase.ended });
      return;
    }
    if (observe) {
      await this.watch(session);
      return;
    }
    if (session.specialistToken === null) {
      this.fail(ConsoleProblem.heldElsewhere);
      return;
    }
    const specialistToken = session.specialistToken;
    this.state.update({ phase: ConsolePhase.connecting });
    // Ask for the camera while the socket connects, so the prompt overlaps the handshake.
    this.media = this.acquireOwnMedia();
    this.listen(this.deps.createSocket(specialistToken), (welcome) => this.onWelcome(welcome.media));
  }

  private async watch(session: SessionView): Promise<void> {
    let token: string;
    try {
      token = (await this.deps.api.observe(session.sessionId)).observerToken;
    } catch (err) {
      if (!this.disposed) this.fail(isSignedOut(err) ? ConsoleProblem.signedOut : ConsoleProblem.load);
      return;
    }
    if (this.disposed) return;
    this.watching = token;
    this.state.update({ phase: ConsolePhase.connecting, observing: true, ownMedia: OwnMedia.unavailable });
    this.listen(this.deps.createSocket(token), (welcome) => {
      if (welcome.media.mode === 'twilio') {
        // The group room takes another participant: join it with nothing to publish.
        this.media ??= Promise.resolve(this.deps.emptyStream());
        this.onWelcome(welcome.media);
        return;
      }
      // P2P: the specialist's console forwards the picture; asked for on every welcome.
      this.state.update({ phase: ConsolePhase.live, customer: this.socket?.participant(Role.customer) ?? null });
      if (!this.watchEnd && this.socket && this.deps.createWatchReceiver) {
        const sink = this.deps.createWatchReceiver(this.socket, welcome.media);
        this.watchEnd = sink;
        // The forwarded picture is this console's call: connected while it arrives.
        this.offs.push(
          sink.on('remoteStream', (remoteStream) => this.state.update({ remoteStream, call: remoteStream ? 'connected' : 'connecting' })),
        );
        sink.request();
      }
    });
  }

  private listen(socket: ConsoleSocket, welcomed: (welcome: RelaySocketEvents['welcome']) => void): void {
    this.socket = socket;
    this.offs.push(
      socket.on('status', (status) => this.state.update({ socket: status })),
      socket.on('welcome', welcomed),
      socket.on('participant', (participant) => {
        if (participant.role !== Role.customer) return;
        // A phone that comes back says its step again if it is not the top one.
        this.state.update(participant.connected ? { customer: participant } : { customer: participant, customerStep: 'high' });
      }),
      socket.on('frame', (frame) => {
        if (frame.type === 'customer-location') this.state.update({ location: frame.location });
        else if (frame.type === 'link-quality' && frame.from === Role.customer) this.state.update({ customerStep: frame.step });
        else if (frame.type === 'observers') this.state.update({ observers: frame.observers });
      }),
      socket.on('session-ended', () => this.finish()),
      socket.on('closed', ({ code }) => this.onClosed(code)),
    );
    socket.connect();
  }

  /** Ends the session for everyone (the customer's link stops working). */
  async end(): Promise<void> {
    const { session, ending, observing } = this.state.get();
    if (!session || ending || observing || session.status !== SessionStatus.active) return;
    this.state.update({ ending: true, problem: null });
    try {
      const ended = await this.deps.api.endSession(session.sessionId);
      if (this.disposed) return;
      this.state.update({ session: ended });
      this.finish();
    } catch (err) {
      if (this.disposed) return;
      this.state.update({ ending: false, problem: isSignedOut(err) ? ConsoleProblem.signedOut : ConsoleProblem.end });
    }
  }

  /** Leaves the call and closes the socket; the session itself stays open for the customer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.teardown();
    // Media that is still being acquired must not keep the camera light on.
    void this.media?.then(stopStream, () => undefined);
  }

  private async acquireOwnMedia(): Promise<MediaStream> {
    try {
      const stream = await this.deps.acquireMedia();
      if (this.disposed) {
        stopStream(stream);
        return stream;
      }
      this.state.update({ ownMedia: OwnMedia.ready, localStream: stream });
      return stream;
    } catch {
      if (!this.disposed) this.state.update({ ownMedia: OwnMedia.unavailable });
      return this.deps.emptyStream();
    }
  }

  private onWelcome(media: MediaConfig): void {
    const socket = this.socket;
    if (!socket) return;
    this.state.update({ customer: socket.participant(Role.customer) });
    // The transport follows reconnects of the socket itself; only the first welcome creates it.
    if (this.transport) return;
    const watchOnly = this.watching !== null;
    const token = this.watching ?? this.state.get().session?.specialistToken ?? '';
    const transport = watchOnly ? this.deps.createTransport(socket, media, token, true) : this.deps.createTransport(socket, media, token);
    if (!transport) {
      this.fail(ConsoleProblem.unsupportedMedia);
      return;
    }
    this.transport = transport;
    this.lane.use(transport.datagrams);
    this.state.update({ phase: ConsolePhase.live });
    const forwarder = !watchOnly && media.mode === 'p2p' ? (this.deps.createWatchForwarder?.(socket, media) ?? null) : null;
    this.watchEnd = forwarder;
    forwarder?.setSource(transport.remoteStream);
    this.offs.push(
      transport.on('state', (call) => this.state.update(call === 'connected' ? { call, callError: null } : { call })),
      transport.on('remoteStream', (remoteStream) => {
        forwarder?.setSource(remoteStream);
        this.state.update({ remoteStream });
      }),
      transport.on('localStream', (localStream) => this.state.update({ localStream })),
      transport.on('networkQuality', (networkQuality) => this.state.update({ networkQuality })),
      transport.on('error', (error) => {
        if (error instanceof TwilioCallError) this.state.update({ callError: error.key });
      }),
    );
    void this.media
      ?.then(async (stream) => {
        if (this.disposed || this.transport !== transport) return;
        await transport.connect(stream);
      })
      .catch(() => {
        if (!this.disposed) this.state.update({ problem: ConsoleProblem.call });
      });
  }

  private onClosed(code: number): void {
    if (code === CloseCode.sessionEnded) this.finish();
    else if (code === CloseCode.replaced) this.fail(ConsoleProblem.replaced);
    else if (code === CloseCode.unauthorized) this.fail(ConsoleProblem.signedOut);
  }

  private finish(): void {
    this.teardown();
    const { session } = this.state.get();
    this.state.update({
      phase: ConsolePhase.ended,
      ending: false,
      remoteStream: null,
      localStream: null,
      session: session && session.status === SessionStatus.active ? { ...session, status: SessionStatus.ended } : session,
    });
  }

  private fail(problem: ConsoleProblem): void {
    this.teardown();
    this.state.update({ phase: ConsolePhase.failed, problem, remoteStream: null, localStream: null });
  }

  private teardown(): void {
    for (const off of this.offs.splice(0)) off();
    this.watchEnd?.close();
    this.watchEnd = null;
    this.transport?.leave();
    this.transport = null;
    this.lane.use(null);
    this.socket?.close();
    this.socket = null;
    // Without a transport nobody else stops the camera we acquired.
    void this.media?.then(stopStream, () => undefined);
  }
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function isSignedOut(err: unknown): boolean {
  return err instanceof RelayApiError && err.status === 401;
}
