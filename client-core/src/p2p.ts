import {
  MediaMode,
  QualityStep,
  Role,
  type ClientToRelay,
  type IceServer,
  type ParticipantState,
  type Signal,
} from '@live-assist/protocol';
import { LocalMedia } from './call/local-media.js';
import { TransportBase } from './call/transport-base.js';
import type { GetUserMedia } from './media.js';
import {
  addLocalTransceivers,
  discardOffer,
  IceRestarts,
  MEDIA_KINDS,
  offerComplete,
  prepareOffer,
  sendTrack,
  trackOf,
  transceiverOf,
} from './p2p-pc.js';
import type { WarmOffer } from './p2p-pc.js';
import { callStateForPeer, pairAfterReconnect, waitingState } from './p2p-state.js';
import { acceptSignal, candidateOf, needsOffer, peerRoleOf, samePage } from './peer.js';
import type { RelaySocketEvents, RelayedSignalFrame } from './socket.js';
import { CallState } from './transport.js';
import { LadderLoop } from './quality/ladder-loop.js';
import { P2PDatagrams } from './p2p-datagrams.js';

/** Longer than this to gather its candidates (a slow STUN or TURN server), an offer is not handed over ahead. */
const AHEAD_GATHER_MS = 5000;

/** The part of `RelaySocket` that P2P signaling needs. */
export interface SignalingChannel {
  send(frame: ClientToRelay): boolean;
  participant(role: Role): ParticipantState | null;
  on<K extends 'welcome' | 'participant' | 'signal' | 'frame'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
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

/**
 * Peer-to-peer media over the relay's signaling (docs/contract.md "P2P negotiation"): the
 * specialist offers, the customer answers, one RTCPeerConnection per pair of pages. A page coming
 * back on a new socket (relay restart, failover, a socket-only blip) keeps the pair: the relay only
 * carried the signaling, the media never stopped.
 */
export class P2PTransport extends TransportBase {
  override readonly mode = MediaMode.p2p;
  protected override readonly media: LocalMedia;
  private readonly peerRole: Role;
  private readonly createPc: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  private readonly logger: Pick<Console, 'warn'>;
  private readonly unsubscribes: Array<() => void> = [];
  private pc: RTCPeerConnection | null = null;
  /** The peer connectionId the current RTCPeerConnection takes signals from. */
  private pcPeerId: string | null = null;
  /** The peer page (its `instanceId`) the current RTCPeerConnection was negotiated with. */
  private pcPeerInstance: string | null = null;
  private everConnected = false;
  private left = false;
  /** Candidates that arrived before the remote description they belong to. */
  private pendingIce: RTCIceCandidateInit[] = [];
  /** Negotiation steps are async; running them in order keeps candidates behind their offer. */
  private chain: Promise<void> = Promise.resolve();
  private readonly iceRestarts: IceRestarts;
  /**
   * Specialist only: a peer connection with its offer already made, waiting for the next customer
   * connection. Making an offer on a busy console takes 100–200 ms; made in advance, the offer goes
   * out the moment the customer's socket is up.
   */
  private warm: WarmOffer | null = null;
  /** The relay handed the prepared offer `id` to the customer connection `by` (`offer-ahead-taken`). */
  private aheadTaken: { id: string; by: string } | null = null;
  /** The prepared offer the relay holds now (it drops it when a customer says hello, or with our connection). */
  private aheadHeld: WarmOffer | null = null;
  /** Steps what this side sends down and up as its uplink changes (docs/contract.md "Quality ladder"). */
  private readonly ladder: LadderLoop;
  readonly datagrams = new P2PDatagrams();

  constructor(private readonly options: P2PTransportOptions) {
    super();
    this.peerRole = peerRoleOf(options.role);
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.createStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
    this.logger = options.logger ?? console;
    const restart = (pc: RTCPeerConnection) => this.restartIce(pc);
    this.iceRestarts = new IceRestarts(options.iceRestartDelayMs ?? 2000, restart, (pc) => pc === this.pc);
    this.media = new LocalMedia({
      videoConstraints: options.videoConstraints ?? true,
      getUserMedia: options.getUserMedia,
      createMediaStream: this.createStream,
      engine: {
        // The prepared offer follows the camera too: it may already be with the relay, so it is
        // kept and only its track changes (that needs no new offer).
        releaseCamera: () => void sendTrack(this.warm?.pc ?? null, 'video', null),
        sendVideo: async (track) => {
          await sendTrack(this.pc, 'video', track);
          await sendTrack(this.warm?.pc ?? null, 'video', track);
        },
        localStreamChanged: (stream) => this.emitter.emit('localStream', stream),
        mediaStateChanged: (media) => this.options.socket.send({ type: 'media-state', media }),
        cameraChanged: () => this.prepareWarm(),
      },
    });
    this.ladder = new LadderLoop({
      pc: () => this.pc,
      onStep: (step) => {
        this.emitter.emit('quality', step);
        this.options.socket.send({ type: 'link-quality', step });
      },
      logger: this.logger,
    });
    const { socket } = options;
    this.unsubscribes.push(
      socket.on('welcome', () => this.onOwnWelcome()),
      socket.on('participant', (p) => this.onParticipant(p)),
      socket.on('signal', (frame) => this.onSignal(frame)),
      socket.on('frame', (frame) => {
        if (frame.type === 'offer-ahead-taken') this.aheadTaken = { id: frame.id, by: frame.by };
      }),
    );
  }

  async connect(local: MediaStream): Promise<void> {
    if (this.left) throw new Error('This call was left; create a new transport');
    this.media.start(local);
    this.ladder.start();
    // The customer's pair may already be up: it was negotiated while they were still on the steps
    // before the call, so the first frame only waits for the camera, not for ICE and DTLS.
    this.setState(this.pc?.connectionState === 'connected' ? CallState.connected : CallState.connecting);
    this.media.announce();
    if (this.options.role === Role.specialist) {
      this.maybeOffer();
      this.prepareWarm();
    } else {
      this.enqueue(async () => {
        // The pair was made before the camera came: its encoder starts now, small.
        if (this.pc) await this.startSending(this.pc);
      });
    }
    await this.chain;
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.ladder.stop();
    for (const off of this.unsubscribes) off();
    this.unsubscribes.length = 0;
    this.discardWarm();
    this.closePc();
    this.media.stop();
    this.setState(CallState.disconnected);
    this.emitter.emit('localStream', null);
    this.emitter.clear();
  }

  // ---------- signaling ----------

  private onOwnWelcome(): void {
    // The relay keeps steps in memory only: a new or restarted one learns this side's again.
    if (this.ladder.step !== QualityStep.high) this.options.socket.send({ type: 'link-quality', step: this.ladder.step });
    // A new own connection: the peer sees it as the same page (or not) and follows the same rule.
    this.followPeer(true);
    if (this.options.role === Role.specialist) {
      // The relay keeps an offer made ahead for the connection that sent it: this one sends it again.
      this.aheadHeld = null;
      this.maybeOffer();
      this.prepareWarm();
    }
  }

  private onParticipant(participant: ParticipantState): void {
    if (participant.role !== this.peerRole) return;
    this.followPeer(false);
    if (this.options.role === Role.specialist) {
      // A customer said hello: the relay handed over or dropped what it held. Gone again: whoever
      // comes next may be another page, and gets the prepared offer handed ahead again.
      if (participant.connected) this.aheadHeld = null;
      this.maybeOffer();
      this.prepareWarm();
    }
  }

  /**
   * Signaling moved (the peer's connection changed, or our own did): the pair is kept when it was
   * negotiated with the page now on the peer's connection, and dropped for another page (a reload,
   * a second device) or a page that does not name itself. Both sides apply the same rule, so they
   * agree without a word; within it the offerer alone decides whether a kept pair needs an ICE
   * restart or a fresh negotiation, and the answerer follows whichever offer comes (a fresh one
   * replaces its pair in `answer`). While the peer is away the pair stays: its media may still flow.
   */
  private followPeer(ownReconnect: boolean): void {
    const pc = this.pc;
    const peer = this.options.socket.participant(this.peerRole);
    if (!pc || !peer?.connected || peer.connectionId === null) return;
    if (!ownReconnect && peer.connectionId === this.pcPeerId) return;
    if (!samePage(peer, this.pcPeerInstance)) {
      this.closePc();
      return;
    }
    this.pcPeerId = peer.connectionId;
    if (this.options.role !== Role.specialist) return;
    switch (pairAfterReconnect({ connection: pc.connectionState, signaling: pc.signalingState })) {
      case 'keep':
        return;
      case 'restart-ice':
        this.iceRestarts.cancel();
        this.restartIce(pc);
        return;
      case 'renegotiate':
        this.closePc();
        return;
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
    if (!this.localStream && this.options.role === Role.specialist) return;
    this.handleSignal(frame, peer?.instanceId ?? null);
  }

  private handleSignal(frame: RelayedSignalFrame, fromInstance: string | null): void {
    const { signal } = frame;
    switch (signal.kind) {
      case 'offer':
        if (this.options.role === Role.customer) this.enqueue(() => this.answer(frame.fromConnectionId, fromInstance, signal));
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
    if (!this.localStream || this.left) return;
    const peer = this.options.socket.participant(this.peerRole);
    if (!needsOffer(peer, this.pc ? this.pcPeerId : null) || !peer?.connectionId) return;
    const peerId = peer.connectionId;
    const peerInstance = peer.instanceId ?? null;
    const warm = this.warm;
    this.warm = null;
    if (warm) {
      const pc = this.newPc(peerId, peerInstance, warm.pc);
      // The relay gave this connection the offer with its welcome: it is answering already.
      const handed = this.aheadTaken?.id === warm.id && this.aheadTaken.by === peerId;
      this.aheadTaken = null;
      if (handed) return;
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
    const pc = this.newPc(peerId, peerInstance);
    addLocalTransceivers(pc, this.localStream);
    this.enqueue(async () => {
      if (pc !== this.pc) return;
      await pc.setLocalDescription(await pc.createOffer());
      this.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
    });
  }

  /** Specialist: makes the next customer's offer now, while nobody is waiting for it, and hands it ahead. */
  private prepareWarm(): void {
    if (this.options.role !== Role.specialist || !this.localStream || this.left) return;
    // While a customer is connected the offer is theirs; once they drop (or before anyone came),
    // the next connection will need a new one. The old pair keeps carrying media meanwhile.
    if (this.pc && this.options.socket.participant(this.peerRole)?.connected) return;
    this.warm ??= prepareOffer(this.createPc({ iceServers: this.options.iceServers }), this.localStream);
    this.handAhead();
  }

  /**
   * Gives the prepared offer to the relay for the next customer connection (`offer-ahead`): it then
   * reaches the customer with their welcome, not after this page has heard of them. Never for the
   * page this side keeps a pair with (`notFor`): back on a new socket it keeps that pair. Handed
   * over complete (with its candidates), since whatever is gathered later would have nowhere to go.
   */
  private handAhead(): void {
    const warm = this.warm;
    if (!warm || this.options.role !== Role.specialist) return;
    void offerComplete(warm, AHEAD_GATHER_MS).then((complete) => {
      if (!complete || warm !== this.warm || this.left || this.aheadHeld === warm) return;
      if (this.options.socket.participant(this.peerRole)?.connected) return;
      this.aheadHeld = warm;
      // A pair whose page sent no instanceId is not kept for it: any page may take the offer.
      const kept = this.pc ? this.pcPeerInstance : null;
      this.options.socket.send({
        type: 'offer-ahead',
        id: warm.id,
        sdp: warm.pc.localDescription?.sdp ?? '',
        ...(kept ? { notFor: kept } : {}),
      });
    });
  }

  private discardWarm(): void {
    discardOffer(this.warm);
    this.warm = null;
  }

  private async answer(fromConnectionId: string, fromInstance: string | null, offer: Extract<Signal, { kind: 'offer' }>): Promise<void> {
    if (this.left) return;
    let pc = this.pc;
    // An ICE restart keeps the pair; any other offer is a fresh negotiation from the specialist.
    const fresh = !pc || !offer.iceRestart || this.pcPeerId !== fromConnectionId;
    if (fresh) pc = this.newPc(fromConnectionId, fromInstance);
    if (!pc) return;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    if (fresh) {
      for (const kind of MEDIA_KINDS) {
        const transceiver = transceiverOf(pc, kind);
        if (transceiver) transceiver.direction = 'sendrecv';
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc !== this.pc) return;
    // The answer goes first: the specialist starts its connectivity checks while this side adds
    // the candidates that came early and its tracks (neither changes the answer).
    this.sendSignal({ kind: 'answer', sdp: pc.localDescription?.sdp ?? '' });
    await this.flushIce(pc);
    if (!fresh) return;
    // The encoder is set to start small now, camera or not: when the camera comes, only its tracks go on.
    await this.ladder.prime(pc);
    if (this.localStream) await this.startSending(pc);
  }

  /** The customer's camera and microphone onto a pair's slots, the video's encoder starting small. */
  private async startSending(pc: RTCPeerConnection): Promise<void> {
    if (!this.ladder.primed(pc)) await this.ladder.prime(pc);
    await Promise.all(MEDIA_KINDS.map((kind) => sendTrack(pc, kind, trackOf(this.localStream, kind))));
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

  // ---------- peer connection ----------

  /** Makes (or adopts a prepared) peer connection for the peer's connection `peerId` of page `peerInstance`. */
  private newPc(peerId: string, peerInstance: string | null, prepared?: RTCPeerConnection): RTCPeerConnection {
    this.closePc();
    const pc = prepared ?? this.createPc({ iceServers: this.options.iceServers });
    this.pc = pc;
    this.pcPeerId = peerId;
    this.pcPeerInstance = peerInstance;
    // The answerer's lane is made here, before the offer is applied; the offerer's came with its slots.
    this.datagrams.follow(pc);
    this.setState(waitingState(this.everConnected));
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
    // The offerer (specialist) restarts ICE; the answerer waits for its offer.
    pc.oniceconnectionstatechange = () => {
      if (pc === this.pc && this.options.role === Role.specialist) this.iceRestarts.follow(pc);
    };
    return pc;
  }

  private closePc(): void {
    this.iceRestarts.cancel();
    this.pendingIce = [];
    const pc = this.pc;
    if (!pc) return;
    this.pc = null;
    this.pcPeerId = null;
    this.pcPeerInstance = null;
    this.datagrams.follow(null);
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    pc.oniceconnectionstatechange = null;
    pc.close();
    if (this.remote) {
      this.remote = null;
      this.emitter.emit('remoteStream', null);
    }
    if (!this.left && this.localStream) this.setState(waitingState(this.everConnected));
  }

  private onConnectionState(connection: RTCPeerConnectionState): void {
    if (connection === 'connected') this.everConnected = true;
    const restartsIce = this.options.role === Role.specialist;
    const state = callStateForPeer({ connection, everConnected: this.everConnected, restartsIce });
    if (state) this.setState(state);
  }

  private restartIce(pc: RTCPeerConnection): void {
    this.enqueue(async () => {
      if (pc !== this.pc || pc.signalingState !== 'stable') return;
      await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
      this.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '', iceRestart: true });
    });
  }
}
