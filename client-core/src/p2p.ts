import { MediaMode, Role, type ClientToRelay, type IceServer, type ParticipantState, type Signal } from '@live-assist/protocol';
import { Emitter } from './emitter.js';
import type { GetUserMedia } from './media.js';
import { acceptSignal, candidateOf, needsOffer, peerRoleOf } from './peer.js';
import type { RelaySocketEvents, RelayedSignalFrame } from './socket.js';
import { CallState, type CallTransport, type CallTransportEvents } from './transport.js';

/** The part of `RelaySocket` that P2P signaling needs. */
export interface SignalingChannel {
  send(frame: ClientToRelay): boolean;
  participant(role: Role): ParticipantState | null;
  on<K extends 'welcome' | 'participant' | 'signal'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

export type P2PTransportOptions = {
  socket: SignalingChannel;
  role: Role;
  iceServers: IceServer[];
  /** Used again when the camera is turned back on. */
  videoConstraints?: MediaTrackConstraints;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  createMediaStream?: (tracks: MediaStreamTrack[]) => MediaStream;
  getUserMedia?: GetUserMedia;
  /** How long ICE may stay `disconnected` before the offerer restarts it. */
  iceRestartDelayMs?: number;
  logger?: Pick<Console, 'warn'>;
};

type Kind = 'audio' | 'video';

type WarmOffer = {
  pc: RTCPeerConnection;
  /** Resolves once the offer is the local description. */
  ready: Promise<void>;
  /** Candidates gathered before anyone could be told about them. */
  candidates: RTCIceCandidateInit[];
};

/**
 * Peer-to-peer media over the relay's signaling (docs/contract.md "P2P negotiation"): the
 * specialist offers, the customer answers, one RTCPeerConnection per pair of connections.
 */
export class P2PTransport implements CallTransport {
  readonly mode = MediaMode.p2p;
  private readonly emitter = new Emitter<CallTransportEvents>();
  private readonly peerRole: Role;
  private readonly createPc: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  private readonly logger: Pick<Console, 'warn'>;
  private readonly unsubscribes: Array<() => void> = [];
  private stateValue: CallState = CallState.idle;
  private local: MediaStream | null = null;
  private remote: MediaStream | null = null;
  private pc: RTCPeerConnection | null = null;
  /** The peer connectionId the current RTCPeerConnection belongs to. */
  private pcPeerId: string | null = null;
  private everConnected = false;
  private camera = false;
  private microphone = false;
  private left = false;
  /** Candidates that arrived before the remote description they belong to. */
  private pendingIce: RTCIceCandidateInit[] = [];
  /** Negotiation steps are async; running them in order keeps candidates behind their offer. */
  private chain: Promise<void> = Promise.resolve();
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private cameraOp: Promise<void> = Promise.resolve();
  /**
   * Specialist only: a peer connection with its offer already made, waiting for the next customer
   * connection. Making an offer on a busy console takes 100–200 ms; made in advance, the offer goes
   * out the moment the customer's socket is up.
   */
  private warm: WarmOffer | null = null;

  constructor(private readonly options: P2PTransportOptions) {
    this.peerRole = peerRoleOf(options.role);
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.createStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
    this.logger = options.logger ?? console;
    const { socket } = options;
    this.unsubscribes.push(
      socket.on('welcome', () => this.onOwnWelcome()),
      socket.on('participant', (p) => this.onParticipant(p)),
      socket.on('signal', (frame) => this.onSignal(frame)),
    );
  }

  get state(): CallState {
    return this.stateValue;
  }
  get localStream(): MediaStream | null {
    return this.local;
  }
  get remoteStream(): MediaStream | null {
    return this.remote;
  }
  get cameraEnabled(): boolean {
    return this.camera;
  }
  get microphoneEnabled(): boolean {
    return this.microphone;
  }

  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  async connect(local: MediaStream): Promise<void> {
    if (this.left) throw new Error('This call was left; create a new transport');
    this.local = local;
    this.camera = local.getVideoTracks().some((t) => t.readyState === 'live');
    this.microphone = local.getAudioTracks().some((t) => t.enabled);
    // The customer's pair may already be up: it was negotiated while they were still on the steps
    // before the call, so the first frame only waits for the camera, not for ICE and DTLS.
    this.setState(this.pc?.connectionState === 'connected' ? CallState.connected : CallState.connecting);
    this.emitter.emit('localStream', local);
    this.sendMediaState();
    if (this.options.role === Role.specialist) {
      this.maybeOffer();
      this.prepareWarm();
    } else {
      this.enqueue(async () => {
        for (const kind of ['audio', 'video'] as const) await this.replaceSenderTrack(kind, this.localTrack(kind));
      });
    }
    await this.chain;
  }

  /** Serialised so a double tap cannot open the camera twice and leak a track. */
  setCameraEnabled(enabled: boolean): Promise<void> {
    const op = this.cameraOp.then(() => this.applyCamera(enabled));
    this.cameraOp = op.catch(() => undefined);
    return op;
  }

  private async applyCamera(enabled: boolean): Promise<void> {
    if (!this.local || this.left || enabled === this.camera) return;
    // The prepared offer carries the old track; the next customer gets one made from the new one.
    this.discardWarm();
    if (!enabled) {
      for (const track of this.local.getVideoTracks()) track.stop();
      this.local = this.createStream(this.local.getAudioTracks());
      this.camera = false;
      await this.replaceSenderTrack('video', null);
    } else {
      const getUserMedia = this.options.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
      const stream = await getUserMedia({ video: this.options.videoConstraints ?? true });
      const track = stream.getVideoTracks()[0];
      if (!track) throw new Error('The camera returned no video track');
      if (this.left || !this.local) {
        track.stop();
        return;
      }
      this.local = this.createStream([...this.local.getAudioTracks(), track]);
      this.camera = true;
      await this.replaceSenderTrack('video', track);
    }
    this.emitter.emit('localStream', this.local);
    this.sendMediaState();
    this.prepareWarm();
  }

  setMicrophoneEnabled(enabled: boolean): void {
    if (!this.local || this.left) return;
    for (const track of this.local.getAudioTracks()) track.enabled = enabled;
    this.microphone = enabled;
    this.sendMediaState();
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    for (const off of this.unsubscribes) off();
    this.unsubscribes.length = 0;
    this.discardWarm();
    this.closePc();
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.local = null;
    this.setState(CallState.disconnected);
    this.emitter.emit('localStream', null);
    this.emitter.clear();
  }

  // ---------- signaling ----------

  private onOwnWelcome(): void {
    // A new own connection: the peer drops the old pair and negotiation starts over.
    this.closePc();
    if (this.options.role === Role.specialist) {
      this.maybeOffer();
      this.prepareWarm();
    }
  }

  private onParticipant(participant: ParticipantState): void {
    if (participant.role !== this.peerRole) return;
    const id = participant.connectionId;
    if (id !== null && this.pcPeerId !== null && id !== this.pcPeerId) this.closePc();
    if (this.options.role === Role.specialist) {
      this.maybeOffer();
      this.prepareWarm();
    }
  }

  private onSignal(frame: RelayedSignalFrame): void {
    if (this.left) return;
    const peer = this.options.socket.participant(this.peerRole);
    if (!acceptSignal(frame, this.options.role, peer)) {
      this.logger.warn(`[p2p] dropped ${frame.signal.kind} from stale connection ${frame.fromConnectionId}`);
      return;
    }
    // The customer answers at once, camera or not (its tracks join with replaceTrack, no new
    // offer); the specialist only ever negotiates with its own media in hand.
    if (!this.local && this.options.role === Role.specialist) return;
    this.handleSignal(frame);
  }

  private handleSignal(frame: RelayedSignalFrame): void {
    const { signal } = frame;
    switch (signal.kind) {
      case 'offer':
        if (this.options.role === Role.customer) this.enqueue(() => this.answer(frame.fromConnectionId, signal));
        break;
      case 'answer':
        if (this.options.role === Role.specialist) this.enqueue(() => this.acceptAnswer(frame.fromConnectionId, signal.sdp));
        break;
      case 'ice':
        this.enqueue(() => this.addCandidate(frame.fromConnectionId, signal.candidate));
        break;
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => {
      this.logger.warn('[p2p] negotiation step failed', err);
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
    });
  }

  private maybeOffer(): void {
    if (!this.local || this.left) return;
    const peer = this.options.socket.participant(this.peerRole);
    if (!needsOffer(peer, this.pc ? this.pcPeerId : null) || !peer?.connectionId) return;
    const peerId = peer.connectionId;
    const warm = this.warm;
    this.warm = null;
    if (warm) {
      const pc = this.newPc(peerId, warm.pc);
      this.enqueue(async () => {
        try {
          await warm.ready;
        } catch (err) {
          // A prepared offer that failed is no reason to fail the call: make one the usual way.
          this.logger.warn('[p2p] the prepared offer failed; offering afresh', err);
          if (pc === this.pc) this.closePc();
          this.maybeOffer();
          return;
        }
        if (pc !== this.pc) return;
        this.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
        for (const candidate of warm.candidates) this.sendSignal({ kind: 'ice', candidate: candidateOf(candidate) });
      });
      return;
    }
    const pc = this.newPc(peerId);
    this.addLocalTransceivers(pc);
    this.enqueue(async () => {
      if (pc !== this.pc) return;
      await pc.setLocalDescription(await pc.createOffer());
      this.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
    });
  }

  /** Specialist: makes the next customer's offer now, while nobody is waiting for it. */
  private prepareWarm(): void {
    if (this.options.role !== Role.specialist || this.warm || !this.local || this.left) return;
    // While a customer is connected the offer is theirs; once they drop (or before anyone came),
    // the next connection will need a new one. The old pair keeps carrying media meanwhile.
    if (this.pc && this.options.socket.participant(this.peerRole)?.connected) return;
    const pc = this.createPc({ iceServers: this.options.iceServers });
    this.addLocalTransceivers(pc);
    const warm: WarmOffer = { pc, candidates: [], ready: Promise.resolve() };
    pc.onicecandidate = (event) => {
      if (event.candidate?.candidate) warm.candidates.push(event.candidate.toJSON());
    };
    warm.ready = pc.createOffer().then((offer) => pc.setLocalDescription(offer));
    // Observed by whoever adopts it; unobserved, a failure must not become an unhandled rejection.
    warm.ready.catch(() => undefined);
    this.warm = warm;
  }

  private discardWarm(): void {
    const warm = this.warm;
    this.warm = null;
    if (!warm) return;
    warm.pc.onicecandidate = null;
    warm.pc.close();
  }

  private addLocalTransceivers(pc: RTCPeerConnection): void {
    for (const kind of ['audio', 'video'] as const) {
      const track = this.localTrack(kind);
      pc.addTransceiver(track ?? kind, { direction: 'sendrecv', streams: this.local ? [this.local] : [] });
    }
  }

  private async answer(fromConnectionId: string, offer: Extract<Signal, { kind: 'offer' }>): Promise<void> {
    if (this.left) return;
    let pc = this.pc;
    // An ICE restart keeps the pair; any other offer is a fresh negotiation from the specialist.
    const fresh = !pc || !offer.iceRestart || this.pcPeerId !== fromConnectionId;
    if (fresh) pc = this.newPc(fromConnectionId);
    if (!pc) return;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    if (fresh) {
      for (const kind of ['audio', 'video'] as const) {
        const transceiver = this.transceiver(pc, kind);
        if (!transceiver) continue;
        transceiver.direction = 'sendrecv';
        await transceiver.sender.replaceTrack(this.localTrack(kind));
      }
    }
    await this.flushIce(pc);
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc === this.pc) this.sendSignal({ kind: 'answer', sdp: pc.localDescription?.sdp ?? '' });
  }

  private async acceptAnswer(fromConnectionId: string, sdp: string): Promise<void> {
    const pc = this.pc;
    if (!pc || this.pcPeerId !== fromConnectionId || pc.signalingState !== 'have-local-offer') return;
    await pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushIce(pc);
  }

  private async addCandidate(fromConnectionId: string, candidate: RTCIceCandidateInit): Promise<void> {
    const pc = this.pc;
    if (!pc || this.pcPeerId !== fromConnectionId) {
      // Customer side: candidates may come just before their offer is processed.
      if (this.options.role === Role.customer) this.pendingIce.push(candidate);
      return;
    }
    if (!pc.remoteDescription) {
      this.pendingIce.push(candidate);
      return;
    }
    await pc.addIceCandidate(candidate);
  }

  private async flushIce(pc: RTCPeerConnection): Promise<void> {
    const pending = this.pendingIce;
    this.pendingIce = [];
    for (const candidate of pending) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (err) {
        this.logger.warn('[p2p] dropped an ICE candidate', err);
      }
    }
  }

  private sendSignal(signal: Signal): void {
    this.options.socket.send({ type: 'signal', signal });
  }

  private sendMediaState(): void {
    this.options.socket.send({
      type: 'media-state',
      media: { camera: this.camera, microphone: this.microphone },
    });
  }

  // ---------- peer connection ----------

  /** Makes (or adopts a prepared) peer connection for the peer's connection `peerId`. */
  private newPc(peerId: string, prepared?: RTCPeerConnection): RTCPeerConnection {
    this.closePc();
    const pc = prepared ?? this.createPc({ iceServers: this.options.iceServers });
    this.pc = pc;
    this.pcPeerId = peerId;
    this.setState(this.everConnected ? CallState.reconnecting : CallState.connecting);
    pc.onicecandidate = (event) => {
      if (pc !== this.pc || !event.candidate || !event.candidate.candidate) return;
      this.sendSignal({ kind: 'ice', candidate: candidateOf(event.candidate.toJSON()) });
    };
    pc.ontrack = (event) => {
      if (pc !== this.pc) return;
      const others = (this.remote?.getTracks() ?? []).filter((t) => t.kind !== event.track.kind);
      // A new stream object each time so views notice the change.
      this.remote = this.createStream([...others, event.track]);
      this.emitter.emit('remoteStream', this.remote);
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.pc) this.onConnectionState(pc.connectionState);
    };
    pc.oniceconnectionstatechange = () => {
      if (pc === this.pc) this.onIceState(pc);
    };
    return pc;
  }

  private closePc(): void {
    this.clearRestartTimer();
    this.pendingIce = [];
    const pc = this.pc;
    if (!pc) return;
    this.pc = null;
    this.pcPeerId = null;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    pc.oniceconnectionstatechange = null;
    pc.close();
    if (this.remote) {
      this.remote = null;
      this.emitter.emit('remoteStream', null);
    }
    if (!this.left && this.local) this.setState(this.everConnected ? CallState.reconnecting : CallState.connecting);
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'new':
      case 'connecting':
        this.setState(this.everConnected ? CallState.reconnecting : CallState.connecting);
        break;
      case 'connected':
        this.everConnected = true;
        this.setState(CallState.connected);
        break;
      case 'disconnected':
        this.setState(CallState.reconnecting);
        break;
      case 'failed':
        // The offerer restarts ICE on failure, so for it this is not final.
        this.setState(this.options.role === Role.specialist ? CallState.reconnecting : CallState.failed);
        break;
      case 'closed':
        break;
    }
  }

  private onIceState(pc: RTCPeerConnection): void {
    if (this.options.role !== Role.specialist) return;
    const state = pc.iceConnectionState;
    if (state === 'failed') {
      this.clearRestartTimer();
      this.restartIce(pc);
    } else if (state === 'disconnected') {
      if (this.restartTimer) return;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (pc === this.pc && pc.iceConnectionState === 'disconnected') this.restartIce(pc);
      }, this.options.iceRestartDelayMs ?? 2000);
    } else {
      this.clearRestartTimer();
    }
  }

  private restartIce(pc: RTCPeerConnection): void {
    this.enqueue(async () => {
      if (pc !== this.pc || pc.signalingState !== 'stable') return;
      await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
      this.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '', iceRestart: true });
    });
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private transceiver(pc: RTCPeerConnection, kind: Kind): RTCRtpTransceiver | undefined {
    return pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
  }

  private localTrack(kind: Kind): MediaStreamTrack | null {
    const tracks = kind === 'audio' ? this.local?.getAudioTracks() : this.local?.getVideoTracks();
    return tracks?.[0] ?? null;
  }

  private async replaceSenderTrack(kind: Kind, track: MediaStreamTrack | null): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const transceiver = this.transceiver(pc, kind);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  private setState(state: CallState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emitter.emit('state', state);
  }
}
