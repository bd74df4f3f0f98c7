import type { CameraFacing, MediaMode, QualityStep } from '@live-assist/protocol';

/** Media connection state, the same words whatever engine carries the media. */
export const CallState = {
  idle: 'idle',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
  failed: 'failed',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

/** Twilio's 0–5 network quality levels of this side and the other party; null until measured or without a peer. */
export type NetworkQuality = {
  local: number | null;
  remote: number | null;
};

export type CallTransportEvents = {
  state: CallState;
  /** The other party's media; `null` when they left. */
  remoteStream: MediaStream | null;
  /** The local stream changed (camera turned back on creates a new video track). */
  localStream: MediaStream | null;
  error: Error;
  /** Only engines that measure it emit this (Twilio); the P2P path never does. */
  networkQuality: NetworkQuality;
  /** The quality ladder moved this side's sending to another step (P2P; the other side hears it too). */
  quality: QualityStep;
};

/**
 * A lossy, unordered lane straight to the other page (P2P only), for messages the next one
 * replaces anyway. `send` is false when the lane cannot carry it now: the caller uses the relay.
 */
export interface PeerDatagrams {
  send(data: Uint8Array): boolean;
  on(handler: (data: ArrayBuffer) => void): () => void;
}

/**
 * One media engine behind one interface. The UIs only talk to this, so they never
 * know whether the call runs peer-to-peer or through Twilio.
 */
export interface CallTransport {
  readonly mode: MediaMode;
  readonly state: CallState;
  readonly localStream: MediaStream | null;
  readonly remoteStream: MediaStream | null;
  readonly cameraEnabled: boolean;
  readonly microphoneEnabled: boolean;
  /** The lane straight to the other page, where the engine has one (P2P). */
  readonly datagrams?: PeerDatagrams;
  /**
   * Loads the engine ahead of `connect()` (engines loaded on demand); false when this browser
   * cannot run it, so the page can say so before asking for the camera.
   */
  prepare?(): Promise<boolean>;
  /** Starts the call with already-acquired local media (permission prompts happen before this). */
  connect(local: MediaStream): Promise<void>;
  /** Off stops the camera track so the camera light goes off; on re-acquires it. */
  setCameraEnabled(enabled: boolean): Promise<void>;
  setMicrophoneEnabled(enabled: boolean): void;
  /** Moves to the camera facing that way; rejects (keeping or restoring the old one) when it cannot. */
  switchCamera(facing: CameraFacing): Promise<void>;
  /** Leaves the call and stops every local track. Idempotent. */
  leave(): void;
  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void): () => void;
}
