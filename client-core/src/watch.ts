import type { ClientToRelay, IceServer, Observer, RelayToClient, Signal } from '@live-assist/protocol';
import { Emitter } from './emitter.js';
import { candidateOf } from './peer.js';
import type { RelaySocketEvents } from './socket.js';

/**
 * An observer's picture in P2P mode (protocol/src/features/watch.ts): the specialist's console
 * forwards the customer's tracks to each observer over a send-only peer connection; the observer's
 * console receives them. The customer's phone is not involved: one upload is all a weak phone
 * link should carry.
 */

/** The part of `RelaySocket` watching needs. */
export interface WatchChannel {
  send(frame: ClientToRelay): boolean;
  on<K extends 'frame' | 'welcome'>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

export type WatchOptions = {
  socket: WatchChannel;
  iceServers: IceServer[];
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  createMediaStream?: (tracks: MediaStreamTrack[]) => MediaStream;
  logger?: Pick<Console, 'warn'>;
  /**
   * Specialist side: how long the picture still goes to an observer who dropped off the
   * `observers` list while their connection is up. Their socket may only be reconnecting (a relay
   * restart, a failover); back, they ask to keep it. Gone for good, their pair goes after this.
   */
  unlistedGraceMs?: number;
};

type Kind = 'audio' | 'video';
const KINDS: readonly Kind[] = ['video', 'audio'];
/** A relay failover takes a few seconds; a closed console stops costing upload soon after. */
const UNLISTED_GRACE_MS = 20_000;

type Outgoing = {
  pc: RTCPeerConnection;
  offerId: number;
  /** Set while the observer is off the list but their connection is still up. */
  unlisted: ReturnType<typeof setTimeout> | null;
};

/**
 * Specialist side: one send-only peer connection per observer who asked, carrying whatever the
 * customer sends now (the tracks are swapped in place when the customer's stream changes).
 */
export class WatchForwarder {
  private readonly peers = new Map<string, Outgoing>();
  private readonly offs: Array<() => void> = [];
  private readonly createPc: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly logger: Pick<Console, 'warn'>;
  private source: MediaStream | null = null;
  private nextOfferId = 1;
  /** Each observer's steps in order: a candidate must not overtake the answer it belongs to. */
  private chain: Promise<void> = Promise.resolve();
  /** After an own (re)connect the next observer list says whom to offer to. */
  private offerToListed = true;
  private closed = false;

  constructor(private readonly options: WatchOptions) {
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.logger = options.logger ?? console;
    this.offs.push(
      options.socket.on('welcome', () => {
        this.offerToListed = true;
      }),
      options.socket.on('frame', (frame) => this.onFrame(frame)),
    );
  }

  /** The customer's stream as the call has it now (null while they are away). */
  setSource(stream: MediaStream | null): void {
    this.source = stream;
    for (const { pc } of this.peers.values()) void this.attachSource(pc);
  }

  close(): void {
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    for (const id of [...this.peers.keys()]) this.drop(id);
  }

  private onFrame(frame: RelayToClient): void {
    if (this.closed) return;
    switch (frame.type) {
      case 'observers':
        this.onObservers(frame.observers);
        return;
      case 'watch-request': {
        const { observerId, offerId } = frame;
        this.enqueue(async () => {
          if (!this.keeps(observerId, offerId)) await this.offer(observerId);
        });
        return;
      }
      case 'watch-signal':
        this.enqueue(() => this.onSignal(frame.observerId, frame.offerId, frame.signal));
        return;
    }
  }

  private onObservers(observers: Observer[]): void {
    const listed = new Set(observers.map((o) => o.id));
    for (const [id, peer] of [...this.peers]) {
      if (listed.has(id)) this.relist(peer);
      else if (peer.pc.connectionState === 'connected') this.unlist(id, peer);
      else this.drop(id);
    }
    if (!this.offerToListed) return;
    this.offerToListed = false;
    // Observers who asked while this console was away: their request went nowhere.
    for (const id of listed) {
      if (!this.peers.has(id)) this.enqueue(() => this.offer(id));
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.logger.warn('[watch] negotiation step failed', err));
  }

  /**
   * An observer's page back on a new socket names the offer whose connection it still has up: if
   * that is this console's current one with them and it is connected, nothing needs negotiating
   * (the same rule as the call's own pair, docs/contract.md "P2P negotiation").
   */
  private keeps(observerId: string, offerId: number | undefined): boolean {
    const peer = this.peers.get(observerId);
    if (!peer || offerId === undefined || peer.offerId !== offerId || peer.pc.connectionState !== 'connected') return false;
    this.relist(peer);
    return true;
  }

  /** Off the list with the connection up: kept a while, dropped if it goes down or they stay away. */
  private unlist(observerId: string, peer: Outgoing): void {
    peer.unlisted ??= setTimeout(() => {
      if (this.peers.get(observerId) === peer) this.drop(observerId);
    }, this.options.unlistedGraceMs ?? UNLISTED_GRACE_MS);
  }

  private relist(peer: Outgoing): void {
    if (peer.unlisted) clearTimeout(peer.unlisted);
    peer.unlisted = null;
  }

  /** A fresh negotiation with one observer (asked again: their page reloaded, or its connection is gone). */
  private async offer(observerId: string): Promise<void> {
    if (this.closed) return;
    this.drop(observerId);
    const offerId = this.nextOfferId++;
    const pc = this.createPc({ iceServers: this.options.iceServers });
    const peer: Outgoing = { pc, offerId, unlisted: null };
    this.peers.set(observerId, peer);
    pc.onconnectionstatechange = () => {
      if (peer.unlisted && this.peers.get(observerId) === peer && pc.connectionState !== 'connected') this.drop(observerId);
    };
    for (const kind of KINDS) pc.addTransceiver(kind, { direction: 'sendonly' });
    pc.onicecandidate = (event) => {
      if (!event.candidate?.candidate || this.peers.get(observerId)?.pc !== pc) return;
      this.signal(observerId, offerId, { kind: 'ice', candidate: candidateOf(event.candidate.toJSON()) });
    };
    await this.attachSource(pc);
    await pc.setLocalDescription(await pc.createOffer());
    if (this.peers.get(observerId)?.pc !== pc) return;
    this.signal(observerId, offerId, { kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
  }

  private async onSignal(observerId: string, offerId: number, signal: Signal): Promise<void> {
    const peer = this.peers.get(observerId);
    // Steps for an offer that was replaced since are of no use.
    if (!peer || peer.offerId !== offerId) return;
    if (signal.kind === 'answer' && peer.pc.signalingState === 'have-local-offer') {
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
    } else if (signal.kind === 'ice') {
      await peer.pc.addIceCandidate(signal.candidate);
    }
  }

  private async attachSource(pc: RTCPeerConnection): Promise<void> {
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind as Kind;
      const track = (kind === 'video' ? this.source?.getVideoTracks() : this.source?.getAudioTracks())?.[0] ?? null;
      if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
    }
  }

  private signal(observerId: string, offerId: number, signal: Signal): void {
    this.options.socket.send({ type: 'watch-signal', observerId, offerId, signal });
  }

  private drop(observerId: string): void {
    const peer = this.peers.get(observerId);
    if (!peer) return;
    this.peers.delete(observerId);
    this.relist(peer);
    peer.pc.onicecandidate = null;
    peer.pc.onconnectionstatechange = null;
    peer.pc.close();
  }
}

export type WatchReceiverEvents = { remoteStream: MediaStream | null };

/** Observer side: asks for the picture on every welcome and answers the specialist's offers. */
export class WatchReceiver {
  private readonly emitter = new Emitter<WatchReceiverEvents>();
  private readonly offs: Array<() => void> = [];
  private readonly createPc: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  private readonly logger: Pick<Console, 'warn'>;
  private pc: RTCPeerConnection | null = null;
  private offerId = -1;
  /** Candidates that came before their offer's remote description was set. */
  private pendingIce: RTCIceCandidateInit[] = [];
  private chain: Promise<void> = Promise.resolve();
  private remote: MediaStream | null = null;

  constructor(private readonly options: WatchOptions) {
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.createStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
    this.logger = options.logger ?? console;
    this.offs.push(
      options.socket.on('welcome', () => this.request()),
      options.socket.on('frame', (frame) => {
        if (frame.type !== 'watch-signal') return;
        const { offerId, signal } = frame;
        // In order: a candidate must not overtake the offer it belongs to.
        this.chain = this.chain
          .then(() => this.onSignal(offerId, signal))
          .catch((err: unknown) => this.logger.warn('[watch] signal failed', err));
      }),
    );
  }

  /**
   * Asks the specialist's console for the picture. Sent on every welcome by itself; the owner calls
   * it once when it creates the receiver after a welcome it did not see. With a connection still
   * up (only the socket came back) it names that offer, and the console keeps it.
   */
  request(): void {
    const held = this.pc?.connectionState === 'connected' ? { offerId: this.offerId } : {};
    this.options.socket.send({ type: 'watch-request', ...held });
  }

  get remoteStream(): MediaStream | null {
    return this.remote;
  }

  on<K extends keyof WatchReceiverEvents>(event: K, handler: (payload: WatchReceiverEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
    this.closePc();
    this.emitter.clear();
  }

  private async onSignal(offerId: number, signal: Signal): Promise<void> {
    if (signal.kind === 'offer') {
      this.closePc();
      const pc = this.createPc({ iceServers: this.options.iceServers });
      this.pc = pc;
      this.offerId = offerId;
      pc.onicecandidate = (event) => {
        if (pc !== this.pc || !event.candidate?.candidate) return;
        this.options.socket.send({
          type: 'watch-signal',
          offerId,
          signal: { kind: 'ice', candidate: candidateOf(event.candidate.toJSON()) },
        });
      };
      pc.ontrack = (event) => {
        if (pc !== this.pc) return;
        const others = (this.remote?.getTracks() ?? []).filter((t) => t.kind !== event.track.kind);
        // A new stream object each time so views notice the change.
        this.setRemote(this.createStream([...others, event.track]));
      };
      await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
      for (const candidate of this.pendingIce.splice(0)) await pc.addIceCandidate(candidate);
      await pc.setLocalDescription(await pc.createAnswer());
      if (pc === this.pc)
        this.options.socket.send({ type: 'watch-signal', offerId, signal: { kind: 'answer', sdp: pc.localDescription?.sdp ?? '' } });
      return;
    }
    if (signal.kind !== 'ice') return;
    if (offerId > this.offerId) this.pendingIce.push(signal.candidate);
    else if (offerId === this.offerId && this.pc) await this.pc.addIceCandidate(signal.candidate);
  }

  private closePc(): void {
    const pc = this.pc;
    this.pc = null;
    this.pendingIce = [];
    if (pc) {
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.close();
    }
    this.setRemote(null);
  }

  private setRemote(stream: MediaStream | null): void {
    if (stream === this.remote) return;
    this.remote = stream;
    this.emitter.emit('remoteStream', stream);
  }
}
