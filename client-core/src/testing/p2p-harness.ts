import { vi } from 'vitest';
import type { ClientToRelay, ParticipantState, Role } from '@live-assist/protocol';
import { Emitter } from '../emitter.js';
import { P2PTransport, type SignalingChannel } from '../p2p.js';
import type { RelaySocketEvents } from '../socket.js';
import { FakePc, FakeStream, FakeTrack, resetPcCount } from './fake-webrtc.js';

/** The relay socket as P2P signaling sees it: the participants it knows, and what was sent. */
export class FakeChannel implements SignalingChannel {
  readonly sent: ClientToRelay[] = [];
  readonly people = new Map<Role, ParticipantState>();
  private readonly emitter = new Emitter<RelaySocketEvents>();
  send(frame: ClientToRelay): boolean {
    this.sent.push(frame);
    return true;
  }
  participant(role: Role) {
    return this.people.get(role) ?? null;
  }
  on<K extends 'welcome' | 'participant' | 'signal' | 'frame'>(event: K, handler: (p: RelaySocketEvents[K]) => void) {
    return this.emitter.on(event, handler);
  }
  /** The peer as a `participant` frame shows it; `instanceId` names its page (absent: an older client). */
  setPeer(role: Role, connectionId: string | null, connected = true, instanceId?: string) {
    this.people.set(role, this.state(role, connectionId, connected, instanceId));
    this.emitter.emit('participant', this.people.get(role)!);
  }
  /**
   * Our own socket was welcomed again (a reconnect): the welcome lists the peer as the relay has
   * it now, as `RelaySocket` stores it before telling anyone.
   */
  welcome(peer: { role: Role; connectionId: string | null; connected?: boolean; instanceId?: string }) {
    const state = this.state(peer.role, peer.connectionId, peer.connected ?? peer.connectionId !== null, peer.instanceId);
    this.people.set(peer.role, state);
    this.emitter.emit('welcome', { participants: [state] } as unknown as RelaySocketEvents['welcome']);
  }
  signal(from: Role, fromConnectionId: string, signal: RelaySocketEvents['signal']['signal']) {
    this.emitter.emit('signal', { type: 'signal', from, fromConnectionId, signal });
  }
  /** The relay handed our offer made ahead to the customer connection `by`. */
  aheadTaken(id: string, by: string) {
    this.emitter.emit('frame', { type: 'offer-ahead-taken', id, by });
  }
  signals() {
    return this.sent.flatMap((f) => (f.type === 'signal' ? [f.signal] : []));
  }
  private state(role: Role, connectionId: string | null, connected: boolean, instanceId: string | undefined): ParticipantState {
    return {
      role,
      connectionId,
      connected,
      displayName: role,
      media: { camera: true, microphone: true },
      ...(instanceId === undefined ? {} : { instanceId }),
    };
  }
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A P2P transport for `role` on a fake channel, with every peer connection it makes in `pcs`. */
export function setup(role: Role, extra: { getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream> } = {}) {
  resetPcCount();
  const channel = new FakeChannel();
  const pcs: FakePc[] = [];
  const audio = new FakeTrack('audio');
  const video = new FakeTrack('video');
  const local = new FakeStream([audio, video]) as unknown as MediaStream;
  const transport = new P2PTransport({
    socket: channel,
    role,
    iceServers: [],
    videoConstraints: { facingMode: { ideal: 'environment' } },
    createPeerConnection: () => {
      const pc = new FakePc();
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    logger: { warn: vi.fn() },
    iceRestartDelayMs: 20,
    ...extra,
  });
  return { channel, pcs, transport, local, audio, video };
}
