import { MediaMode, Role, type ClientToRelay } from '@live-assist/protocol';
import { LocalMedia } from '../call/local-media.js';
import { TransportBase } from '../call/transport-base.js';
import { cameraConstraints, type GetUserMedia } from '../media.js';
import type { CallTransportEvents } from '../transport.js';
import { isNormalEnd, isRecoverable, isRetryable, toTwilioCallError, TwilioCallError, TwilioErrorKey, twilioErrorCode } from './errors.js';
import { callStateFor, RoomConnection, type NetworkQuality } from './state.js';
import {
  loadTwilioVideo,
  type SdkEmitter,
  type SdkConnectOptions,
  type SdkLocalTrack,
  type SdkLocalTrackOptions,
  type SdkRemoteParticipant,
  type SdkRemoteTrack,
  type SdkRoom,
  type TwilioVideoSdk,
} from './sdk.js';

/** What the relay hands out for one participant (proposed `twilio-token` response). */
export type TwilioTokenGrant = { token: string; roomName: string };

export type TwilioTransportEvents = CallTransportEvents & {
  /** Twilio's 0–5 levels for this side and the other party; the specialist console shows both. */
  networkQuality: NetworkQuality;
};

export type TwilioTransportOptions = {
  role: Role;
  /** Asks the relay for a room-scoped access token; called once per `connect()`. */
  getToken: () => Promise<TwilioTokenGrant>;
  /** When given, `media-state` frames are sent as on the P2P path so the relay's view stays the same. */
  relay?: { send(frame: ClientToRelay): boolean };
  /** Identity of the other party in the room (default: the other role, as the relay mints it). */
  peerIdentity?: string;
  /** Used when the camera is turned back on; default prefers the rear camera. */
  videoConstraints?: MediaTrackConstraints;
  getUserMedia?: GetUserMedia;
  createMediaStream?: (tracks: MediaStreamTrack[]) => MediaStream;
  /** Default: dynamic `import('twilio-video')`. */
  loadSdk?: () => Promise<TwilioVideoSdk>;
  /**
   * Waits before each rejoin with a fresh token after the room dropped us for a recoverable
   * reason (network gone longer than Twilio's own reconnection, token expired); one entry per
   * attempt. Default [1 s, 3 s, 8 s, 15 s].
   */
  rejoinDelaysMs?: number[];
  /**
   * Waits before each new attempt when the very first join fails for a transient reason (token
   * request 503 or offline, Twilio's signalling unreachable). Default [1 s, 3 s].
   */
  firstJoinDelaysMs?: number[];
  /**
   * Where `pagehide`/`pageshow` arrive (default: `window` in a browser). The room is left on
   * `pagehide`, so the other side sees this one leave at once instead of a frozen frame until
   * Twilio times the participant out, and joined again on a `pageshow` from the back/forward cache.
   */
  page?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  logger?: Pick<Console, 'warn'>;
};

type Off = () => void;

/** What the SFU is asked to send for the one video that matters (content preferences are manual). */
const RENDER_DIMENSIONS = { width: 1280, height: 720 } as const;

/**
 * The Bandwidth Profile's automatic switch-off and content preferences follow `<video>` elements
 * the SDK's tracks are `attach()`ed to. The views here render `MediaStream`s through `srcObject`
 * (one path for both engines), so both are manual: in 'auto' the SDK would switch off every
 * remote video 50 ms after it starts.
 */
export const BANDWIDTH_PROFILE = {
  video: { mode: 'collaboration', clientTrackSwitchOffControl: 'manual', contentPreferencesMode: 'manual' },
} as const satisfies SdkConnectOptions['bandwidthProfile'];

function listen(target: SdkEmitter, event: string, listener: (...args: never[]) => void): Off {
  target.on(event, listener);
  return () => {
    target.removeListener(event, listener);
  };
}

/**
 * Media through a Twilio Video group room behind the same CallTransport as P2P. The relay mints
 * the token and creates the room; this side only joins, publishes and maps events.
 */
export class TwilioTransport extends TransportBase {
  override readonly mode = MediaMode.twilio;
  protected override readonly media: LocalMedia;
  private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  private readonly peerIdentity: string;
  private left = false;
  private sdk: TwilioVideoSdk | null = null;
  private sdkLoad: Promise<TwilioVideoSdk> | null = null;
  private room: SdkRoom | null = null;
  private roomConnection: RoomConnection = RoomConnection.connecting;
  private roomOffs: Off[] = [];
  private audioTrack: SdkLocalTrack | null = null;
  private videoTrack: SdkLocalTrack | null = null;
  private peer: SdkRemoteParticipant | null = null;
  private peerOffs: Off[] = [];
  private peerReconnecting = false;
  private everConnected = false;
  private failed = false;
  /** The peer's subscribed audio/video tracks by track SID. */
  private readonly remoteTracks = new Map<string, MediaStreamTrack>();
  private quality: NetworkQuality = { local: null, remote: null };
  private connecting: Promise<void> | null = null;
  private joinedOnce = false;
  private rejoinAttempt = 0;
  private rejoinTimer: ReturnType<typeof setTimeout> | null = null;
  /** Settles the wait for a scheduled rejoin when it is called off (leave, pagehide). */
  private rejoinCancelled: (() => void) | null = null;
  private firstJoinAttempt = 0;
  /** Left for `pagehide`; `pageshow` from the back/forward cache joins again. */
  private suspended = false;
  private pageOffs: Off[] = [];
  /** Listeners on the SDK wrappers of our local tracks, by wrapper. */
  private readonly wrapperOffs = new Map<SdkLocalTrack, Off>();
  /** The SDK's connect in flight (a CancelablePromise), cancelled when leaving mid-join. */
  private pendingConnect: (Promise<SdkRoom> & { cancel?: () => unknown }) | null = null;

  constructor(private readonly options: TwilioTransportOptions) {
    super();
    this.createStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
    this.peerIdentity = options.peerIdentity ?? (options.role === Role.customer ? Role.specialist : Role.customer);
    this.media = new LocalMedia({
      videoConstraints: this.cameraConstraints(),
      getUserMedia: options.getUserMedia,
      createMediaStream: this.createStream,
      engine: {
        // The room lets go of the published wrapper before LocalMedia stops the capture under it.
        releaseCamera: () => this.unpublishCamera(),
        sendVideo: (track) => (track ? this.publishCamera(track) : Promise.resolve()),
        // Disabling keeps the track published, so unmuting is instant and needs no new permission.
        muteMicrophone: (enabled) => this.audioTrack?.enable(enabled),
        localStreamChanged: (stream) => this.emitter.emit('localStream', stream),
        mediaStateChanged: (media) => this.options.relay?.send({ type: 'media-state', media }),
      },
    });
  }

  get networkQuality(): NetworkQuality {
    return this.quality;
  }

  /**
   * Fetches twilio-video's chunk now (the page calls this as soon as it knows the call runs
   * through Twilio) and tells whether Twilio supports this browser. A failed fetch reads as
   * supported: `connect()` loads again and explains its own failure.
   */
  prepare(): Promise<boolean> {
    return this.loadSdk().then(
      (sdk) => sdk.isSupported,
      () => true,
    );
  }

  private loadSdk(): Promise<TwilioVideoSdk> {
    const load = (this.sdkLoad ??= (this.options.loadSdk ?? loadTwilioVideo)());
    // A failed load (offline) is tried again by the next caller.
    load.catch(() => {
      if (this.sdkLoad === load) this.sdkLoad = null;
    });
    return load;
  }

  /** Resolves once joined or failed; failures arrive as `error` events and state `failed`, like P2P. */
  connect(local: MediaStream): Promise<void> {
    if (this.left) return Promise.reject(new Error('This call was left; create a new transport'));
    if (this.connecting) return Promise.reject(new Error('connect() was already called on this transport'));
    this.media.start(local);
    this.roomConnection = RoomConnection.connecting;
    this.updateState();
    this.media.announce();
    this.listenToPage();
    this.connecting = this.join();
    return this.connecting;
  }

  override async setCameraEnabled(enabled: boolean): Promise<void> {
    // Toggles during the join wait for it, so the room never gets a stale track.
    await this.connecting;
    return super.setCameraEnabled(enabled);
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    for (const off of this.pageOffs) off();
    this.pageOffs = [];
    // Decided before the room goes, so the peer leaving with it never reads as "reconnecting".
    this.roomConnection = RoomConnection.disconnected;
    this.disconnectRoom();
    for (const wrapper of [...this.wrapperOffs.keys()]) this.dropWrapper(wrapper);
    this.audioTrack = null;
    this.videoTrack = null;
    this.media.stop();
    this.updateState();
    this.emitter.emit('localStream', null);
    this.emitter.clear();
  }

  // ---------- joining ----------

  private async join(): Promise<void> {
    try {
      const sdk = await this.loadSdk();
      if (!sdk.isSupported) throw new TwilioCallError(null, { key: TwilioErrorKey.unsupported });
      this.sdk = sdk;
      const grant = await this.options.getToken();
      if (this.left || this.suspended || !this.localStream) return;
      const tracks = this.localSdkTracks(sdk);
      const pending = sdk.connect(grant.token, {
        name: grant.roomName,
        tracks,
        // Level 1 for both: the 0–5 score of each side, nothing more (cheap on phones).
        networkQuality: { local: 1, remote: 1 },
        dominantSpeaker: false,
        // One video that matters (the customer's camera): keep it at full quality.
        bandwidthProfile: BANDWIDTH_PROFILE,
      });
      this.pendingConnect = pending;
      const room = await pending.finally(() => {
        if (this.pendingConnect === pending) this.pendingConnect = null;
      });
      if (this.left || this.suspended) {
        room.disconnect();
        return;
      }
      this.attachRoom(room);
    } catch (err) {
      if (this.left || this.suspended) return;
      const error = toTwilioCallError(err);
      this.options.logger?.warn(`[twilio] could not join (${error.code ?? 'no code'}): ${error.key}`);
      const retry = this.scheduleRejoin(error);
      if (retry) {
        // The first join's promise covers its retries: connect() resolves once joined or failed.
        if (!this.joinedOnce) await retry;
        return;
      }
      this.roomConnection = RoomConnection.disconnected;
      this.failed = true;
      this.updateState();
      this.emitter.emit('error', error);
    }
  }

  /**
   * A drop or a failed join for a transient reason is retried with a fresh token (the P2P path's
   * ICE restart counterpart): after a call has been up with the longer rejoin schedule, before
   * that a couple of times so a busy relay or a network blip never asks the customer to reload.
   */
  private scheduleRejoin(error: TwilioCallError): Promise<void> | null {
    if (this.left || this.suspended || !isRetryable(error)) return null;
    const delays = this.joinedOnce
      ? (this.options.rejoinDelaysMs ?? [1000, 3000, 8000, 15_000])
      : (this.options.firstJoinDelaysMs ?? [1000, 3000]);
    const attempt = this.joinedOnce ? this.rejoinAttempt++ : this.firstJoinAttempt++;
    if (attempt >= delays.length) return null;
    const delay = delays[attempt] ?? 0;
    this.roomConnection = this.joinedOnce ? RoomConnection.reconnecting : RoomConnection.connecting;
    this.updateState();
    return new Promise<void>((resolve) => {
      this.rejoinCancelled = resolve;
      this.rejoinTimer = setTimeout(() => {
        this.rejoinTimer = null;
        this.rejoinCancelled = null;
        if (this.left || this.suspended) return resolve();
        this.connecting = this.join();
        void this.connecting.then(resolve);
      }, delay);
    });
  }

  /** Leaves the room (or the join in flight) and stops any scheduled rejoin; local media stays. */
  private disconnectRoom(): void {
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
    this.rejoinTimer = null;
    this.rejoinCancelled?.();
    this.rejoinCancelled = null;
    // Cancelling closes the signalling connection of a join that has not finished yet.
    this.pendingConnect?.cancel?.();
    this.pendingConnect = null;
    const room = this.room;
    this.detachRoom();
    room?.disconnect();
  }

  private listenToPage(): void {
    const page = this.options.page === undefined ? (typeof window === 'undefined' ? null : window) : this.options.page;
    if (!page) return;
    const onHide = () => {
      if (this.left || this.suspended) return;
      this.suspended = true;
      this.roomConnection = RoomConnection.disconnected;
      this.disconnectRoom();
      this.updateState();
    };
    const onShow = (event: Event) => {
      if (!this.suspended || this.left || !(event as PageTransitionEvent).persisted) return;
      this.suspended = false;
      this.rejoinAttempt = 0;
      this.firstJoinAttempt = 0;
      this.roomConnection = this.joinedOnce ? RoomConnection.reconnecting : RoomConnection.connecting;
      this.updateState();
      this.connecting = this.join();
    };
    page.addEventListener('pagehide', onHide);
    page.addEventListener('pageshow', onShow);
    this.pageOffs.push(
      () => page.removeEventListener('pagehide', onHide),
      () => page.removeEventListener('pageshow', onShow),
    );
  }

  // ---------- local tracks ----------

  /**
   * The SDK wrappers of the current local tracks. A wrapper outlives rejoins (the SDK never stops
   * tracks it was given), so each capture has exactly one, and one iOS foreground listener.
   */
  private localSdkTracks(sdk: TwilioVideoSdk): SdkLocalTrack[] {
    const local = this.localStream;
    if (!local) return [];
    const audio = local.getAudioTracks()[0];
    const video = local.getVideoTracks().find((t) => t.readyState === 'live');
    this.audioTrack = this.wrapperFor(sdk, this.audioTrack, audio);
    if (this.audioTrack && !this.microphoneEnabled) this.audioTrack.disable();
    this.videoTrack = this.wrapperFor(sdk, this.videoTrack, video);
    return [this.audioTrack, this.videoTrack].filter((t): t is SdkLocalTrack => t !== null);
  }

  private wrapperFor(sdk: TwilioVideoSdk, current: SdkLocalTrack | null, track: MediaStreamTrack | undefined): SdkLocalTrack | null {
    if (current && current.mediaStreamTrack === track) return current;
    if (current) this.dropWrapper(current);
    return track ? this.wrap(sdk, track) : null;
  }

  /**
   * Wraps a captured track with the constraints it was captured with: on iOS the SDK captures it
   * again with these when the page comes back from the background (an empty set would pick the
   * front camera), and `started` then carries the new capture to the preview and snapshots.
   */
  private wrap(sdk: TwilioVideoSdk, track: MediaStreamTrack): SdkLocalTrack {
    const options: SdkLocalTrackOptions = this.options.getUserMedia ? { getUserMedia: this.options.getUserMedia } : {};
    const wrapper =
      track.kind === 'video'
        ? new sdk.LocalVideoTrack(track, { ...options, video: this.cameraConstraints() })
        : new sdk.LocalAudioTrack(track, { ...options, audio: {} });
    this.wrapperOffs.set(
      wrapper,
      listen(wrapper, 'started', () => this.onLocalTrackStarted(wrapper)),
    );
    return wrapper;
  }

  private dropWrapper(wrapper: SdkLocalTrack): void {
    this.wrapperOffs.get(wrapper)?.();
    this.wrapperOffs.delete(wrapper);
    wrapper.stop();
  }

  private cameraConstraints(): MediaTrackConstraints {
    return this.options.videoConstraints ?? cameraConstraints({ preferRear: true });
  }

  /** The SDK captured a track again (iOS foreground): the app's stream follows it. */
  private onLocalTrackStarted(wrapper: SdkLocalTrack): void {
    if (this.left || !this.wrapperOffs.has(wrapper)) return;
    this.media.adoptRestartedTrack(wrapper.mediaStreamTrack);
  }

  private unpublishCamera(): void {
    const track = this.videoTrack;
    this.videoTrack = null;
    if (!track) return;
    this.room?.localParticipant.unpublishTrack(track);
    this.dropWrapper(track);
  }

  /** Before the SDK is loaded the new track waits: the join wraps and publishes it with the others. */
  private async publishCamera(track: MediaStreamTrack): Promise<void> {
    if (!this.sdk) return;
    const videoTrack = this.wrap(this.sdk, track);
    this.videoTrack = videoTrack;
    if (!this.room) return;
    try {
      await this.room.localParticipant.publishTrack(videoTrack, { priority: 'high' });
    } catch (err) {
      throw toTwilioCallError(err);
    }
  }

  private attachRoom(room: SdkRoom): void {
    this.room = room;
    this.joinedOnce = true;
    this.rejoinAttempt = 0;
    this.roomConnection = RoomConnection.connected;
    const local = room.localParticipant;
    this.roomOffs.push(
      listen(room, 'participantConnected', (p: SdkRemoteParticipant) => this.onParticipantConnected(p)),
      listen(room, 'participantDisconnected', (p: SdkRemoteParticipant) => this.onParticipantDisconnected(p)),
      listen(room, 'trackSubscribed', (track: SdkRemoteTrack, _pub: unknown, p: SdkRemoteParticipant) => {
        if (track.kind === 'video') track.setContentPreferences?.({ renderDimensions: RENDER_DIMENSIONS });
        if (p === this.peer && this.addRemoteTrack(track)) this.emitRemote();
      }),
      listen(room, 'trackUnsubscribed', (track: SdkRemoteTrack, _pub: unknown, p: SdkRemoteParticipant) => {
        if (p === this.peer && this.remoteTracks.delete(track.sid)) this.emitRemote();
      }),
      listen(room, 'participantReconnecting', (p: SdkRemoteParticipant) => {
        if (p === this.peer) this.setPeerReconnecting(true);
      }),
      listen(room, 'participantReconnected', (p: SdkRemoteParticipant) => {
        if (p === this.peer) this.setPeerReconnecting(false);
      }),
      listen(room, 'reconnecting', () => this.setRoomConnection(RoomConnection.reconnecting)),
      listen(room, 'reconnected', () => this.setRoomConnection(RoomConnection.connected)),
      listen(room, 'disconnected', (r: SdkRoom, error?: unknown) => this.onDisconnected(r, error)),
      listen(local, 'networkQualityLevelChanged', (level: number) => this.setQuality({ local: level })),
    );
    this.setQuality({ local: local.networkQualityLevel });
    this.setPeer(this.choosePeer());
    this.updateState();
  }

  private detachRoom(): void {
    for (const off of this.roomOffs) off();
    this.roomOffs = [];
    this.setPeer(null);
    this.room = null;
  }

  private onDisconnected(room: SdkRoom, error: unknown): void {
    if (room !== this.room) return;
    const code = twilioErrorCode(error);
    if (error && isRecoverable(code)) {
      this.detachRoom();
      if (this.scheduleRejoin(toTwilioCallError(error))) return;
    }
    // Decided before detaching, so the peer leaving with the room never reads as "reconnecting".
    this.roomConnection = RoomConnection.disconnected;
    this.failed = Boolean(error) && !isNormalEnd(code);
    this.detachRoom();
    this.updateState();
    if (error) this.emitter.emit('error', toTwilioCallError(error));
  }

  // ---------- the other party ----------

  /** The participant whose identity is the peer's; any other remote participant as a fallback. */
  private choosePeer(exclude?: SdkRemoteParticipant): SdkRemoteParticipant | null {
    const candidates = [...(this.room?.participants.values() ?? [])].filter((p) => p !== exclude);
    return candidates.find((p) => p.identity === this.peerIdentity) ?? candidates[0] ?? null;
  }

  private onParticipantConnected(participant: SdkRemoteParticipant): void {
    const preferred = participant.identity === this.peerIdentity && this.peer?.identity !== this.peerIdentity;
    if (!this.peer || preferred) this.setPeer(participant);
  }

  private onParticipantDisconnected(participant: SdkRemoteParticipant): void {
    if (participant !== this.peer) return;
    this.setPeer(this.choosePeer(participant));
  }

  private setPeer(peer: SdkRemoteParticipant | null): void {
    if (peer === this.peer) return;
    for (const off of this.peerOffs) off();
    this.peerOffs = [];
    this.remoteTracks.clear();
    this.peer = peer;
    this.peerReconnecting = false;
    if (peer) {
      this.everConnected = true;
      this.peerOffs.push(listen(peer, 'networkQualityLevelChanged', (level: number) => this.setQuality({ remote: level })));
      for (const publication of peer.tracks.values()) {
        if (publication.isSubscribed && publication.track) this.addRemoteTrack(publication.track);
      }
    }
    this.setQuality({ remote: peer?.networkQualityLevel ?? null });
    this.emitRemote();
    this.updateState();
  }

  private setPeerReconnecting(reconnecting: boolean): void {
    this.peerReconnecting = reconnecting;
    this.updateState();
  }

  private addRemoteTrack(track: SdkRemoteTrack): boolean {
    if ((track.kind !== 'audio' && track.kind !== 'video') || !track.mediaStreamTrack) return false;
    this.remoteTracks.set(track.sid, track.mediaStreamTrack);
    return true;
  }

  /** A new stream object on every change so views notice; null until the peer sends anything. */
  private emitRemote(): void {
    const next = this.peer && this.remoteTracks.size > 0 ? this.createStream([...this.remoteTracks.values()]) : null;
    if (next === null && this.remote === null) return;
    this.remote = next;
    this.emitter.emit('remoteStream', next);
  }

  // ---------- state ----------

  private setRoomConnection(connection: RoomConnection): void {
    this.roomConnection = connection;
    this.updateState();
  }

  private setQuality(change: Partial<NetworkQuality>): void {
    const next = { ...this.quality, ...change };
    if (next.local === this.quality.local && next.remote === this.quality.remote) return;
    this.quality = next;
    this.emitter.emit('networkQuality', next);
  }

  private updateState(): void {
    const state = callStateFor({
      room: this.roomConnection,
      peerPresent: this.peer !== null,
      peerReconnecting: this.peerReconnecting,
      everConnected: this.everConnected,
      failed: this.failed,
    });
    this.setState(state);
  }
}
