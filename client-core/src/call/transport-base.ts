import type { CameraFacing, MediaMode } from '@live-assist/protocol';
import { Emitter } from '../emitter.js';
import { CallState, type CallTransport, type CallTransportEvents } from '../transport.js';
import type { LocalMedia } from './local-media.js';

/**
 * What every engine behind `CallTransport` has in common: its events, the state word, the other
 * party's stream and this side's camera and microphone. An engine adds how media travels.
 */
export abstract class TransportBase implements CallTransport {
  abstract readonly mode: MediaMode;
  protected readonly emitter = new Emitter<CallTransportEvents>();
  /** Made by the engine, which tells it how camera and microphone changes travel. */
  protected abstract readonly media: LocalMedia;
  protected remote: MediaStream | null = null;
  private stateValue: CallState = CallState.idle;

  get state(): CallState {
    return this.stateValue;
  }
  get localStream(): MediaStream | null {
    return this.media.stream;
  }
  get remoteStream(): MediaStream | null {
    return this.remote;
  }
  get cameraEnabled(): boolean {
    return this.media.cameraEnabled;
  }
  get microphoneEnabled(): boolean {
    return this.media.microphoneEnabled;
  }

  on<K extends keyof CallTransportEvents>(event: K, handler: (payload: CallTransportEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  abstract connect(local: MediaStream): Promise<void>;
  abstract leave(): void;

  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.media.setCameraEnabled(enabled);
  }

  switchCamera(facing: CameraFacing): Promise<void> {
    return this.media.switchCamera(facing);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.media.setMicrophoneEnabled(enabled);
  }

  protected setState(state: CallState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emitter.emit('state', state);
  }
}
