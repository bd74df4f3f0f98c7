/**
 * What one RTCPeerConnection of the P2P path carries, the offer the specialist makes ahead, and
 * when the specialist restarts ICE.
 */
import { laneOf } from './p2p-datagrams.js';
import { iceActionFor } from './p2p-state.js';
import { FIRST_FRAMES_SCALE } from './quality/apply-step.js';

export const MEDIA_KINDS = ['audio', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The live transceiver of one kind (a stopped one is left over from an earlier negotiation). */
export function transceiverOf(pc: RTCPeerConnection, kind: MediaKind): RTCRtpTransceiver | undefined {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
}

export function trackOf(stream: MediaStream | null, kind: MediaKind): MediaStreamTrack | null {
  const tracks = kind === 'audio' ? stream?.getAudioTracks() : stream?.getVideoTracks();
  return tracks?.[0] ?? null;
}

/**
 * Offerer: one send-and-receive slot per kind, empty for a kind the stream lacks (camera off), and
 * the data lane, so the offer carries its association. The video starts small (FIRST_FRAMES_SCALE).
 */
export function addLocalTransceivers(pc: RTCPeerConnection, stream: MediaStream | null): void {
  for (const kind of MEDIA_KINDS) {
    pc.addTransceiver(trackOf(stream, kind) ?? kind, {
      direction: 'sendrecv',
      streams: stream ? [stream] : [],
      ...(kind === 'video' ? { sendEncodings: [{ scaleResolutionDownBy: FIRST_FRAMES_SCALE }] } : {}),
    });
  }
  laneOf(pc);
}

/** Swaps what the slot of `kind` sends (null: nothing) without a new offer. */
export async function sendTrack(pc: RTCPeerConnection | null, kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
  const transceiver = pc ? transceiverOf(pc, kind) : undefined;
  if (transceiver) await transceiver.sender.replaceTrack(track);
}

/** A peer connection with its offer already being made, waiting for the next customer connection. */
export type WarmOffer = {
  /** Names it to the relay when it is handed over ahead (`offer-ahead`). */
  id: string;
  pc: RTCPeerConnection;
  /** Resolves once the offer is the local description. */
  ready: Promise<void>;
  /** Candidates gathered before anyone could be told about them. */
  candidates: RTCIceCandidateInit[];
};

let offersMade = 0;

export function prepareOffer(pc: RTCPeerConnection, stream: MediaStream | null): WarmOffer {
  addLocalTransceivers(pc, stream);
  const warm: WarmOffer = { id: `offer-${++offersMade}`, pc, candidates: [], ready: Promise.resolve() };
  pc.onicecandidate = (event) => {
    if (event.candidate?.candidate) warm.candidates.push(event.candidate.toJSON());
  };
  warm.ready = pc.createOffer().then((offer) => pc.setLocalDescription(offer));
  // Observed by whoever adopts it; unobserved, a failure must not become an unhandled rejection.
  warm.ready.catch(() => undefined);
  return warm;
}

/**
 * Resolves true once the offer is made and its candidates are all gathered (they are then in its
 * description), false if that takes longer than `timeoutMs` or fails.
 */
export function offerComplete(warm: WarmOffer, timeoutMs: number): Promise<boolean> {
  const { pc } = warm;
  return warm.ready.then(
    () =>
      new Promise<boolean>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve(true);
        const done = (complete: boolean) => {
          clearTimeout(timer);
          pc.removeEventListener('icegatheringstatechange', onChange);
          resolve(complete);
        };
        const onChange = () => {
          if (pc.iceGatheringState === 'complete') done(true);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        pc.addEventListener('icegatheringstatechange', onChange);
      }),
    () => false,
  );
}

export function discardOffer(warm: WarmOffer | null): void {
  if (!warm) return;
  warm.pc.onicecandidate = null;
  warm.pc.close();
}

/** The offerer's ICE watch: `iceActionFor` decides, this keeps the one timer a disconnection needs. */
export class IceRestarts {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly restart: (pc: RTCPeerConnection) => void,
    /** A pair replaced meanwhile is not restarted. */
    private readonly isCurrent: (pc: RTCPeerConnection) => boolean,
  ) {}

  follow(pc: RTCPeerConnection): void {
    switch (iceActionFor(pc.iceConnectionState)) {
      case 'restart':
        this.cancel();
        this.restart(pc);
        return;
      case 'restart-later':
        if (this.timer) return;
        this.timer = setTimeout(() => {
          this.timer = null;
          if (this.isCurrent(pc) && pc.iceConnectionState === 'disconnected') this.restart(pc);
        }, this.delayMs);
        return;
      case 'cancel-restart':
        this.cancel();
    }
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
