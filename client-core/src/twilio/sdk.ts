/**
 * The slice of twilio-video this transport uses, written structurally so unit tests can drive a
 * small fake room. Only types here: the SDK itself is loaded by `loadTwilioVideo()`.
 */

type Listener = (...args: never[]) => void;

export interface SdkEmitter {
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

export interface SdkLocalTrack extends SdkEmitter {
  readonly kind: string;
  readonly mediaStreamTrack: MediaStreamTrack;
  enable(enabled?: boolean): unknown;
  disable(): unknown;
  stop(): unknown;
}

export interface SdkRemoteTrack {
  readonly kind: string;
  readonly sid: string;
  readonly mediaStreamTrack?: MediaStreamTrack;
  /** Video only; allowed because the transport connects with `contentPreferencesMode: 'manual'`. */
  setContentPreferences?(preferences: { renderDimensions?: { width: number; height: number } }): unknown;
}

export interface SdkRemotePublication {
  readonly isSubscribed: boolean;
  readonly track: SdkRemoteTrack | null;
}

export interface SdkParticipant extends SdkEmitter {
  readonly identity: string;
  readonly sid: string;
  readonly networkQualityLevel: number | null;
}

export interface SdkRemoteParticipant extends SdkParticipant {
  readonly tracks: Map<string, SdkRemotePublication>;
}

export interface SdkLocalParticipant extends SdkParticipant {
  publishTrack(track: SdkLocalTrack, options?: { priority?: 'low' | 'standard' | 'high' }): Promise<unknown>;
  unpublishTrack(track: SdkLocalTrack): unknown;
}

export interface SdkRoom extends SdkEmitter {
  readonly name: string;
  readonly sid: string;
  readonly state: string;
  readonly localParticipant: SdkLocalParticipant;
  readonly participants: Map<string, SdkRemoteParticipant>;
  disconnect(): unknown;
}

export type SdkConnectOptions = {
  name: string;
  tracks: SdkLocalTrack[];
  networkQuality: { local: 1 | 2 | 3; remote: 0 | 1 | 2 | 3 };
  dominantSpeaker: boolean;
  bandwidthProfile?: {
    video: {
      mode: 'collaboration' | 'grid' | 'presentation';
      /** 'auto' (the default once a profile is given) switches off every track not `attach()`ed. */
      clientTrackSwitchOffControl?: 'auto' | 'manual';
      contentPreferencesMode?: 'auto' | 'manual';
    };
  };
  preferredVideoCodecs?: Array<'VP8' | 'H264'>;
};

/**
 * `LocalTrackOptions`: the constraints are what the SDK re-acquires the track with when iOS
 * mutes it in the background (`workaroundWebKitBug1208516`), so they must name the same camera.
 */
export type SdkLocalTrackOptions = {
  audio?: MediaTrackConstraints;
  video?: MediaTrackConstraints;
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
};

export interface TwilioVideoSdk {
  readonly isSupported: boolean;
  connect(token: string, options: SdkConnectOptions): Promise<SdkRoom>;
  LocalAudioTrack: new (track: MediaStreamTrack, options?: SdkLocalTrackOptions) => SdkLocalTrack;
  LocalVideoTrack: new (track: MediaStreamTrack, options?: SdkLocalTrackOptions) => SdkLocalTrack;
}

/**
 * Loads twilio-video on demand. This dynamic import is the only reference to the package, so
 * bundlers put it in a chunk of its own that only a started Twilio call fetches.
 */
export async function loadTwilioVideo(): Promise<TwilioVideoSdk> {
  const mod: Record<string, unknown> = await import('twilio-video');
  // A CommonJS package: bundlers and Node expose module.exports as `default`.
  const sdk = (mod.default ?? mod) as TwilioVideoSdk;
  // Its typings hide the EventEmitter methods (`removeListener`) we rely on, hence no static
  // check against them; fail loudly here rather than mid-call if the shape ever changes.
  if (typeof sdk.connect !== 'function' || typeof sdk.LocalVideoTrack !== 'function') {
    throw new Error('twilio-video did not load as expected');
  }
  return sdk;
}
