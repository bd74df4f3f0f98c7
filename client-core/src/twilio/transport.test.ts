import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ClientToRelay } from '@live-assist/protocol';
import type { CallState } from '../transport.js';
import { TwilioCallError, TwilioErrorKey } from './errors.js';
import type { SdkConnectOptions, TwilioVideoSdk } from './sdk.js';
import type { NetworkQuality } from './state.js';
import { TwilioTransport, type TwilioTransportOptions } from './transport.js';

// Node has neither WebRTC nor Twilio: these fakes stand in for the browser's tracks and the
// SDK's Room only to exercise the transport's mapping logic.

let trackCounter = 0;
class FakeTrack {
  readonly id = `mst-${++trackCounter}`;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: 'audio' | 'video') {}
  stop(): void {
    this.readyState = 'ended';
  }
}

class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

class FakeLocalTrack extends EventEmitter {
  stopped = false;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly mediaStreamTrack: FakeTrack,
  ) {
    super();
  }
  enable(enabled = true) {
    this.mediaStreamTrack.enabled = enabled;
    return this;
  }
  disable() {
    return this.enable(false);
  }
  stop() {
    this.stopped = true;
    this.mediaStreamTrack.stop();
    return this;
  }
}

class FakeParticipant extends EventEmitter {
  networkQualityLevel: number | null = null;
  readonly tracks = new Map<string, { isSubscribed: boolean; track: FakeRemoteTrack | null }>();
  constructor(
    readonly identity: string,
    readonly sid = `PA-${identity}`,
  ) {
    super();
  }
}

class FakeLocalParticipant extends FakeParticipant {
  readonly published: FakeLocalTrack[] = [];
  readonly unpublished: FakeLocalTrack[] = [];
  async publishTrack(track: FakeLocalTrack) {
    this.published.push(track);
    return {};
  }
  unpublishTrack(track: FakeLocalTrack) {
    this.unpublished.push(track);
    return null;
  }
}

let remoteCounter = 0;
class FakeRemoteTrack {
  readonly sid = `MT-${++remoteCounter}`;
  readonly mediaStreamTrack: FakeTrack;
  readonly contentPreferences: unknown[] = [];
  setContentPreferences(preferences: unknown) {
    this.contentPreferences.push(preferences);
  }
  constructor(readonly kind: 'audio' | 'video' | 'data') {
    this.mediaStreamTrack = new FakeTrack(kind === 'audio' ? 'audio' : 'video');
  }
}

class FakeRoom extends EventEmitter {
  readonly name = 'live-assist-session1';
  readonly sid = 'RM-1';
  state = 'connected';
  readonly participants = new Map<string, FakeParticipant>();
  readonly localParticipant: FakeLocalParticipant;
  disconnects = 0;
  constructor(identity: string) {
    super();
    this.localParticipant = new FakeLocalParticipant(identity);
  }
  join(participant: FakeParticipant): void {
    this.participants.set(participant.sid, participant);
    this.emit('participantConnected', participant);
  }
  leave(participant: FakeParticipant): void {
    this.participants.delete(participant.sid);
    this.emit('participantDisconnected', participant);
  }
  subscribe(participant: FakeParticipant, track: FakeRemoteTrack): void {
    participant.tracks.set(track.sid, { isSubscribed: true, track });
    this.emit('trackSubscribed', track, {}, participant);
  }
  unsubscribe(participant: FakeParticipant, track: FakeRemoteTrack): void {
    participant.tracks.delete(track.sid);
    this.emit('trackUnsubscribed', track, {}, participant);
  }
  disconnect() {
    this.disconnects++;
    this.state = 'disconnected';
    this.emit('disconnected', this);
    return this;
  }
}

function setup(
  options: {
    role?: 'customer' | 'specialist';
    connectError?: unknown;
    room?: FakeRoom;
    /** Per connect() call after the first: an error to reject with, or a room to resolve with. */
    later?: Array<FakeRoom | Error>;
    rejoinDelaysMs?: number[];
    firstJoinDelaysMs?: number[];
    page?: EventTarget;
  } = {},
) {
  const role = options.role ?? 'specialist';
  const room = options.room ?? new FakeRoom(role);
  const connectCalls: Array<{ token: string; options: SdkConnectOptions }> = [];
  let resolveConnect: (() => void) | null = null;
  let cancels = 0;
  const sdk = {
    isSupported: true,
    connect: (token: string, connectOptions: SdkConnectOptions) => {
      connectCalls.push({ token, options: connectOptions });
      if (options.connectError) return Promise.reject(options.connectError);
      const outcome = connectCalls.length === 1 ? undefined : options.later?.[connectCalls.length - 2];
      if (outcome instanceof Error) return Promise.reject(outcome);
      if (outcome) return Promise.resolve(outcome);
      // twilio-video returns a CancelablePromise.
      return Object.assign(
        new Promise((resolve) => {
          resolveConnect = () => resolve(room);
        }),
        { cancel: () => cancels++ },
      );
    },
    LocalAudioTrack: class extends FakeLocalTrack {
      constructor(track: FakeTrack) {
        super('audio', track);
      }
    },
    LocalVideoTrack: class extends FakeLocalTrack {
      constructor(track: FakeTrack) {
        super('video', track);
      }
    },
  } as unknown as TwilioVideoSdk;
  const loadSdk = vi.fn(async () => sdk);
  const getToken = vi.fn(async () => ({ token: 'jwt-for-test', roomName: room.name }));
  const sent: ClientToRelay[] = [];
  const cameraTracks: FakeTrack[] = [];
  const getUserMedia = vi.fn(async () => {
    const track = new FakeTrack('video');
    cameraTracks.push(track);
    return new FakeStream([track]) as unknown as MediaStream;
  });
  const transportOptions: TwilioTransportOptions = {
    role,
    getToken,
    loadSdk,
    getUserMedia,
    relay: { send: (frame) => sent.push(frame) > 0 },
    ...(options.rejoinDelaysMs ? { rejoinDelaysMs: options.rejoinDelaysMs } : {}),
    ...(options.firstJoinDelaysMs ? { firstJoinDelaysMs: options.firstJoinDelaysMs } : {}),
    page: options.page ?? null,
    createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
  };
  const transport = new TwilioTransport(transportOptions);
  const states: CallState[] = [];
  const errors: TwilioCallError[] = [];
  const remotes: Array<FakeStream | null> = [];
  const locals: Array<FakeStream | null> = [];
  const qualities: NetworkQuality[] = [];
  transport.on('state', (s) => states.push(s));
  transport.on('error', (e) => errors.push(e as TwilioCallError));
  transport.on('remoteStream', (s) => remotes.push(s as unknown as FakeStream | null));
  transport.on('localStream', (s) => locals.push(s as unknown as FakeStream | null));
  transport.on('networkQuality', (q) => qualities.push(q));
  const mic = new FakeTrack('audio');
  const cam = new FakeTrack('video');
  const local = new FakeStream([mic, cam]) as unknown as MediaStream;

  /** Starts connect() and lets the fake room resolve; returns the connect promise. */
  async function join(): Promise<void> {
    const done = transport.connect(local);
    await vi.waitFor(() => expect(resolveConnect).not.toBeNull());
    resolveConnect!();
    await done;
  }
  return {
    transport,
    room,
    sdk,
    loadSdk,
    getToken,
    getUserMedia,
    connectCalls,
    sent,
    states,
    errors,
    remotes,
    locals,
    qualities,
    mic,
    cam,
    local,
    cameraTracks,
    join,
    release: () => resolveConnect?.(),
    cancels: () => cancels,
  };
}

describe('TwilioTransport', () => {
  it('loads the SDK and asks for a token only when the call starts', async () => {
    const t = setup();
    expect(t.loadSdk).not.toHaveBeenCalled();
    expect(t.transport.state).toBe('idle');

    await t.join();

    expect(t.loadSdk).toHaveBeenCalledTimes(1);
    expect(t.getToken).toHaveBeenCalledTimes(1);
    expect(t.connectCalls).toHaveLength(1);
    const { token, options } = t.connectCalls[0]!;
    expect(token).toBe('jwt-for-test');
    expect(options.name).toBe('live-assist-session1');
    expect(options.networkQuality).toEqual({ local: 1, remote: 1 });
    expect(options.tracks.map((tr) => tr.mediaStreamTrack)).toEqual([t.mic, t.cam]);
    expect(t.sent).toEqual([{ type: 'media-state', media: { camera: true, microphone: true } }]);
  });

  it('is connected while the other party is in the room and combines its tracks into one stream', async () => {
    const t = setup();
    await t.join();
    expect(t.transport.state).toBe('connecting');

    const customer = new FakeParticipant('customer');
    t.room.join(customer);
    expect(t.transport.state).toBe('connected');

    const video = new FakeRemoteTrack('video');
    const audio = new FakeRemoteTrack('audio');
    t.room.subscribe(customer, video);
    t.room.subscribe(customer, audio);
    t.room.subscribe(customer, new FakeRemoteTrack('data'));
    expect(t.transport.remoteStream).toBe(t.remotes.at(-1));
    expect(t.remotes.at(-1)?.getTracks()).toEqual([video.mediaStreamTrack, audio.mediaStreamTrack]);

    // Camera turned off on the other side: the stream keeps the audio.
    t.room.unsubscribe(customer, video);
    expect(t.remotes.at(-1)?.getTracks()).toEqual([audio.mediaStreamTrack]);

    t.room.leave(customer);
    expect(t.remotes.at(-1)).toBeNull();
    expect(t.transport.remoteStream).toBeNull();
    expect(t.states).toEqual(['connecting', 'connected', 'reconnecting']);
  });

  it('picks up a peer that was already in the room with its subscribed tracks', async () => {
    const room = new FakeRoom('customer');
    const specialist = new FakeParticipant('specialist');
    const video = new FakeRemoteTrack('video');
    specialist.tracks.set(video.sid, { isSubscribed: true, track: video });
    specialist.tracks.set('MT-pending', { isSubscribed: false, track: null });
    room.participants.set(specialist.sid, specialist);
    const t = setup({ role: 'customer', room });

    await t.join();

    expect(t.transport.state).toBe('connected');
    expect(t.remotes.at(-1)?.getTracks()).toEqual([video.mediaStreamTrack]);
  });

  it('prefers the participant with the peer identity and ignores others’ tracks', async () => {
    const t = setup();
    await t.join();
    const supervisor = new FakeParticipant('supervisor');
    t.room.join(supervisor);
    const customer = new FakeParticipant('customer');
    t.room.join(customer);
    t.room.subscribe(supervisor, new FakeRemoteTrack('video'));
    expect(t.remotes.filter((s) => s !== null)).toHaveLength(0);

    const video = new FakeRemoteTrack('video');
    t.room.subscribe(customer, video);
    expect(t.remotes.at(-1)?.getTracks()).toEqual([video.mediaStreamTrack]);

    // The supervisor leaving changes nothing for the customer's stream.
    t.room.leave(supervisor);
    expect(t.transport.remoteStream?.getTracks()).toEqual([video.mediaStreamTrack]);
  });

  it('maps reconnecting and reconnected of either side', async () => {
    const t = setup();
    await t.join();
    const customer = new FakeParticipant('customer');
    t.room.join(customer);

    t.room.emit('reconnecting', Object.assign(new Error('Signaling connection disconnected'), { code: 53001 }));
    expect(t.transport.state).toBe('reconnecting');
    t.room.emit('reconnected');
    expect(t.transport.state).toBe('connected');

    t.room.emit('participantReconnecting', customer);
    expect(t.transport.state).toBe('reconnecting');
    t.room.emit('participantReconnected', customer);
    expect(t.transport.state).toBe('connected');
    expect(t.errors).toEqual([]);
  });

  it('turns the camera off by unpublishing and stopping it, and on with a new rear-camera track', async () => {
    const t = setup({ role: 'customer' });
    await t.join();
    const published = t.connectCalls[0]!.options.tracks[1] as unknown as FakeLocalTrack;

    await t.transport.setCameraEnabled(false);
    expect(t.room.localParticipant.unpublished).toEqual([published]);
    expect(published.stopped).toBe(true);
    expect(t.cam.readyState).toBe('ended'); // camera light off
    expect(t.transport.cameraEnabled).toBe(false);
    expect(t.locals.at(-1)?.getTracks()).toEqual([t.mic]);
    expect(t.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: false, microphone: true } });

    await t.transport.setCameraEnabled(true);
    expect(t.getUserMedia).toHaveBeenCalledWith({
      video: expect.objectContaining({ facingMode: { ideal: 'environment' } }),
    });
    const newTrack = t.cameraTracks[0]!;
    expect(t.room.localParticipant.published.map((p) => p.mediaStreamTrack)).toEqual([newTrack]);
    expect(t.locals.at(-1)?.getTracks()).toEqual([t.mic, newTrack]);
    expect(t.transport.cameraEnabled).toBe(true);
    expect(t.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: true, microphone: true } });
  });

  it('switches to the front camera in the room: the rear track is unpublished and stopped first, the front one published in its place', async () => {
    const t = setup({ role: 'customer' });
    await t.join();
    const rear = t.connectCalls[0]!.options.tracks[1] as unknown as FakeLocalTrack;

    await t.transport.switchCamera('user');
    expect(t.room.localParticipant.unpublished).toEqual([rear]);
    expect(rear.stopped).toBe(true);
    expect(t.getUserMedia).toHaveBeenLastCalledWith({ video: expect.objectContaining({ facingMode: { exact: 'user' } }) });
    const front = t.cameraTracks[0]!;
    expect(t.room.localParticipant.published.map((p) => p.mediaStreamTrack)).toEqual([front]);
    expect(t.locals.at(-1)?.getTracks()).toEqual([t.mic, front]);
    expect(t.transport.cameraEnabled).toBe(true);
  });

  it('a double tap on "camera on" opens and publishes the camera only once', async () => {
    const t = setup({ role: 'customer' });
    await t.join();
    await t.transport.setCameraEnabled(false);
    await Promise.all([t.transport.setCameraEnabled(true), t.transport.setCameraEnabled(true)]);
    expect(t.getUserMedia).toHaveBeenCalledTimes(1);
    expect(t.room.localParticipant.published).toHaveLength(1);
  });

  it('mutes by disabling the published audio track', async () => {
    const t = setup();
    await t.join();
    t.transport.setMicrophoneEnabled(false);
    expect(t.mic.enabled).toBe(false);
    expect(t.mic.readyState).toBe('live');
    expect(t.room.localParticipant.unpublished).toEqual([]);
    expect(t.transport.microphoneEnabled).toBe(false);
    expect(t.sent.at(-1)).toEqual({ type: 'media-state', media: { camera: true, microphone: false } });
    t.transport.setMicrophoneEnabled(true);
    expect(t.mic.enabled).toBe(true);
  });

  it('reports network quality of both sides', async () => {
    const t = setup();
    await t.join();
    t.room.localParticipant.emit('networkQualityLevelChanged', 4, {});
    const customer = new FakeParticipant('customer');
    customer.networkQualityLevel = 2;
    t.room.join(customer);
    customer.emit('networkQualityLevelChanged', 1, {});
    expect(t.qualities).toEqual([
      { local: 4, remote: null },
      { local: 4, remote: 2 },
      { local: 4, remote: 1 },
    ]);
    t.room.leave(customer);
    expect(t.transport.networkQuality).toEqual({ local: 4, remote: null });
  });

  it('ends as disconnected when the room is completed, failed on an unrecoverable error', async () => {
    const completed = setup();
    await completed.join();
    completed.room.join(new FakeParticipant('customer'));
    completed.room.emit('disconnected', completed.room, Object.assign(new Error('Room completed'), { code: 53118 }));
    expect(completed.transport.state).toBe('disconnected');
    expect(completed.errors.map((e) => e.key)).toEqual(['twilio.room-completed']);
    expect(completed.states).toEqual(['connecting', 'connected', 'disconnected']);

    const lost = setup();
    await lost.join();
    // Not something a rejoin fixes (see the rejoin tests for network drops).
    lost.room.emit('disconnected', lost.room, Object.assign(new Error('No supported codec'), { code: 53404 }));
    expect(lost.transport.state).toBe('failed');
    expect(lost.errors.map((e) => [e.code, e.key])).toEqual([[53404, 'twilio.media']]);
  });

  it('rejoins with a fresh token when the room drops a call for a network reason', async () => {
    const second = new FakeRoom('specialist');
    const t = setup({ later: [second], rejoinDelaysMs: [0] });
    await t.join();
    t.room.join(new FakeParticipant('customer'));

    t.room.emit('disconnected', t.room, Object.assign(new Error('Signaling connection disconnected'), { code: 53001 }));
    expect(t.transport.state).toBe('reconnecting');
    await vi.waitFor(() => expect(t.connectCalls).toHaveLength(2));
    expect(t.getToken).toHaveBeenCalledTimes(2);
    // The same local media goes into the new room, through the same SDK wrappers (a new wrapper
    // per join would leave the old ones' iOS foreground listeners capturing cameras).
    expect(t.connectCalls[1]!.options.tracks.map((tr) => tr.mediaStreamTrack)).toEqual([t.mic, t.cam]);
    t.connectCalls[1]!.options.tracks.forEach((track, i) => expect(track).toBe(t.connectCalls[0]!.options.tracks[i]));
    expect(t.connectCalls[0]!.options.tracks.some((track) => (track as unknown as FakeLocalTrack).stopped)).toBe(false);

    await vi.waitFor(() => expect(second.listenerCount('participantConnected')).toBe(1));
    expect(t.transport.state).toBe('reconnecting');
    second.join(new FakeParticipant('customer'));
    expect(t.transport.state).toBe('connected');
    expect(t.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(t.errors).toEqual([]);
    // The old room no longer drives anything.
    expect(t.room.listenerCount('participantConnected')).toBe(0);
  });

  it('gives up after the last rejoin attempt with the error that stopped it', async () => {
    const t = setup({ later: [Object.assign(new Error('Signaling connection error'), { code: 53000 })], rejoinDelaysMs: [0] });
    await t.join();
    t.room.join(new FakeParticipant('customer'));
    t.room.emit('disconnected', t.room, Object.assign(new Error('Media connection failed'), { code: 53405 }));
    await vi.waitFor(() => expect(t.transport.state).toBe('failed'));
    expect(t.connectCalls).toHaveLength(2);
    expect(t.errors.map((e) => e.key)).toEqual(['twilio.signaling']);
  });

  it('leaving while a first-join retry waits settles connect() without joining', async () => {
    const t = setup({ firstJoinDelaysMs: [60_000] });
    t.getToken.mockRejectedValueOnce(new TwilioCallError(null, { key: TwilioErrorKey.signaling }));
    const done = t.transport.connect(t.local);
    await vi.waitFor(() => expect(t.getToken).toHaveBeenCalledTimes(1));
    t.transport.leave();
    await done;
    expect(t.connectCalls).toHaveLength(0);
    expect(t.transport.state).toBe('disconnected');
  });

  it('does not rejoin after leave', async () => {
    const t = setup({ later: [new FakeRoom('specialist')], rejoinDelaysMs: [20] });
    await t.join();
    t.room.emit('disconnected', t.room, Object.assign(new Error('Signaling connection disconnected'), { code: 53001 }));
    t.transport.leave();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(t.connectCalls).toHaveLength(1);
    expect(t.transport.state).toBe('disconnected');
  });

  it('fails with a clear error when Twilio refuses the join', async () => {
    for (const [code, key] of [
      [20104, 'twilio.token-expired'],
      [53105, 'twilio.room-full'],
      [53205, 'twilio.duplicate-identity'],
    ] as const) {
      const t = setup({ connectError: Object.assign(new Error('refused'), { code }), firstJoinDelaysMs: [0] });
      await t.transport.connect(t.local);
      await vi.waitFor(() => expect(t.transport.state).toBe('failed'));
      expect(t.errors.map((e) => e.key)).toEqual([key]);
    }
  });

  it('fails when the relay refuses the token, without touching Twilio', async () => {
    const t = setup({ firstJoinDelaysMs: [0] });
    t.getToken.mockRejectedValueOnce(new TwilioCallError(null, { key: TwilioErrorKey.tokenInvalid }));
    await t.transport.connect(t.local);
    expect(t.connectCalls).toHaveLength(0);
    expect(t.getToken).toHaveBeenCalledTimes(1);
    expect(t.transport.state).toBe('failed');
    expect(t.errors[0]?.key).toBe('twilio.token-invalid');
  });

  it('retries a first join that failed for a transient reason instead of asking for a reload', async () => {
    const t = setup({ role: 'customer', firstJoinDelaysMs: [0, 0] });
    // The relay was busy (503), then Twilio's signalling could not be reached, then it works.
    t.getToken.mockRejectedValueOnce(new TwilioCallError(null, { key: TwilioErrorKey.generic }));
    const done = t.transport.connect(t.local);
    await vi.waitFor(() => expect(t.connectCalls).toHaveLength(1));
    t.release();
    await done;
    await t.transport.connect(t.local).catch(() => undefined);
    expect(t.getToken).toHaveBeenCalledTimes(2);
    expect(t.transport.state).toBe('connecting');
    expect(t.errors).toEqual([]);
    expect(t.states).toEqual(['connecting']);
  });

  it('shows the error once the first-join retries are used up', async () => {
    const t = setup({ connectError: Object.assign(new Error('Signaling connection error'), { code: 53000 }), firstJoinDelaysMs: [0, 0] });
    // connect() covers the retries: it resolves once the call is joined or has failed for good.
    await t.transport.connect(t.local);
    expect(t.transport.state).toBe('failed');
    expect(t.connectCalls).toHaveLength(3);
    expect(t.states).toEqual(['connecting', 'failed']);
    expect(t.errors.map((e) => e.key)).toEqual(['twilio.signaling']);
  });

  it('rejoins after the long-outage and room-vanished codes, and explains the duration limit', async () => {
    for (const code of [53204, 53500, 53501, 53103, 53106]) {
      const t = setup({ later: [new FakeRoom('specialist')], rejoinDelaysMs: [0] });
      await t.join();
      t.room.join(new FakeParticipant('customer'));
      t.room.emit('disconnected', t.room, Object.assign(new Error('dropped'), { code }));
      await vi.waitFor(() => expect(t.connectCalls, String(code)).toHaveLength(2));
      expect(t.errors).toEqual([]);
    }
    const t = setup({ later: [new FakeRoom('specialist')], rejoinDelaysMs: [0] });
    await t.join();
    t.room.emit('disconnected', t.room, Object.assign(new Error('Participant duration exceeded'), { code: 53216 }));
    expect(t.transport.state).toBe('failed');
    expect(t.connectCalls).toHaveLength(1);
    expect(t.errors.map((e) => e.key)).toEqual(['twilio.max-duration']);
  });

  it('leave disconnects, stops every local track and goes quiet', async () => {
    const t = setup();
    await t.join();
    const customer = new FakeParticipant('customer');
    t.room.join(customer);

    t.transport.leave();
    t.transport.leave();

    expect(t.room.disconnects).toBe(1);
    expect(t.mic.readyState).toBe('ended');
    expect(t.cam.readyState).toBe('ended');
    expect(t.transport.state).toBe('disconnected');
    expect(t.states).toEqual(['connecting', 'connected', 'disconnected']);
    expect(t.locals.at(-1)).toBeNull();
    const eventsBefore = t.states.length + t.remotes.length;
    t.room.subscribe(customer, new FakeRemoteTrack('video'));
    expect(t.states.length + t.remotes.length).toBe(eventsBefore);
    await expect(t.transport.connect(t.local)).rejects.toThrow(/left/);
  });

  it('leaving while the join is in flight drops the room as soon as it arrives', async () => {
    const t = setup();
    const done = t.transport.connect(t.local);
    await vi.waitFor(() => expect(t.connectCalls).toHaveLength(1));
    t.transport.leave();
    t.release();
    await done;
    expect(t.room.disconnects).toBe(1);
    // The SDK's join is cancelled too, which closes its signalling connection at once.
    expect(t.cancels()).toBe(1);
    expect(t.transport.state).toBe('disconnected');
    expect(t.errors).toEqual([]);
  });

  it('asks for full-size video of the peer (content preferences are manual)', async () => {
    const t = setup();
    await t.join();
    const customer = new FakeParticipant('customer');
    t.room.join(customer);
    const video = new FakeRemoteTrack('video');
    t.room.subscribe(customer, video);
    expect(t.connectCalls[0]!.options.bandwidthProfile).toEqual({
      video: { mode: 'collaboration', clientTrackSwitchOffControl: 'manual', contentPreferencesMode: 'manual' },
    });
    expect(video.contentPreferences).toEqual([{ renderDimensions: { width: 1280, height: 720 } }]);
  });

  it('leaves the room on pagehide and joins again on a pageshow from the back/forward cache', async () => {
    const page = new EventTarget();
    const second = new FakeRoom('customer');
    const t = setup({ role: 'customer', page, later: [second] });
    await t.join();
    t.room.join(new FakeParticipant('specialist'));
    expect(t.transport.state).toBe('connected');

    page.dispatchEvent(new Event('pagehide'));
    // The other side sees this participant leave now, not when Twilio times it out.
    expect(t.room.disconnects).toBe(1);
    expect(t.transport.state).toBe('disconnected');
    expect(t.cam.readyState).toBe('live');

    // A plain pageshow (first load) changes nothing; one restored from the cache rejoins.
    page.dispatchEvent(new Event('pageshow'));
    expect(t.connectCalls).toHaveLength(1);
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await vi.waitFor(() => expect(t.connectCalls).toHaveLength(2));
    expect(t.getToken).toHaveBeenCalledTimes(2);
    expect(t.connectCalls[1]!.options.tracks.map((tr) => tr.mediaStreamTrack)).toEqual([t.mic, t.cam]);
    await vi.waitFor(() => expect(second.listenerCount('participantConnected')).toBe(1));
    second.join(new FakeParticipant('specialist'));
    expect(t.transport.state).toBe('connected');
    expect(t.errors).toEqual([]);

    t.transport.leave();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(t.connectCalls).toHaveLength(2);
  });

  it('pagehide during the join cancels it', async () => {
    const page = new EventTarget();
    const t = setup({ role: 'customer', page });
    const done = t.transport.connect(t.local);
    await vi.waitFor(() => expect(t.connectCalls).toHaveLength(1));
    page.dispatchEvent(new Event('pagehide'));
    expect(t.cancels()).toBe(1);
    t.release();
    await done;
    expect(t.room.disconnects).toBe(1);
    expect(t.errors).toEqual([]);
  });
});
