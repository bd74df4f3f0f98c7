import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SdkConnectOptions, TwilioVideoSdk } from './sdk.js';
import { TwilioTransport } from './transport.js';

// twilio-video's own classes (its es5 build, the one bundlers pick) run in Node once a few browser globals exist; no media
// server is involved. These tests put the transport's choices (connect options, how local
// tracks are wrapped) through the SDK's real logic, which the fake-room tests cannot see.

const require = createRequire(import.meta.url);
type Ctor = new (...args: never[]) => unknown;
const realSdk = require('twilio-video') as {
  connect: (token: string, options: object) => unknown;
  LocalAudioTrack: Ctor;
  LocalVideoTrack: Ctor;
};
const RemoteVideoTrack = require('twilio-video/es5/media/track/remotevideotrack') as new (...args: unknown[]) => {
  _dummyEl: { oncanplay: (() => void) | null };
};
const MediaTrackReceiver = require('twilio-video/es5/media/track/receiver') as new (id: string, track: unknown) => unknown;

let trackCounter = 0;
/** A MediaStreamTrack as far as the SDK touches it. */
class FakeTrack extends EventTarget {
  readonly id = `mst-${++trackCounter}`;
  enabled = true;
  muted = false;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: 'audio' | 'video') {
    super();
  }
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings() {
    return {};
  }
}

class FakeStream {
  readonly tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: FakeTrack) {
    this.tracks.push(track);
  }
  removeTrack(track: FakeTrack) {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
}

/** A `<video>` that can play as soon as it gets a stream, as a browser's does. */
function fakeMediaElement() {
  let source: unknown = null;
  const el = {
    oncanplay: null as (() => void) | null,
    videoWidth: 1280,
    videoHeight: 720,
    muted: false,
    autoplay: false,
    playsInline: false,
    get srcObject() {
      return source;
    },
    set srcObject(value: unknown) {
      source = value;
      if (value) queueMicrotask(() => el.oncanplay?.());
    },
    play: () => Promise.resolve(),
    pause() {},
    remove() {},
    load() {},
    setAttribute() {},
    addEventListener() {},
    removeEventListener() {},
  };
  return el;
}

/** The page: visibility and its listeners, driven by the test like a phone going back and forth. */
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  createElement() {
    return fakeMediaElement();
  }
  show() {
    this.visibilityState = 'visible';
    this.dispatchEvent(new Event('visibilitychange'));
  }
  hide() {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

function browserGlobals(device: 'desktop' | 'iphone') {
  const doc = new FakeDocument();
  vi.stubGlobal('document', doc);
  vi.stubGlobal('MediaStream', FakeStream);
  vi.stubGlobal('MediaStreamTrack', FakeTrack);
  const mediaDevices = Object.assign(new EventTarget(), { enumerateDevices: async () => [] });
  vi.stubGlobal(
    'navigator',
    device === 'iphone'
      ? {
          mediaDevices,
          platform: 'iPhone',
          maxTouchPoints: 5,
          userAgent:
            'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
        }
      : {
          mediaDevices,
          platform: 'Linux x86_64',
          maxTouchPoints: 0,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
        },
  );
  vi.stubGlobal('window', { screen: { width: device === 'iphone' ? 390 : 1280 } });
  return doc;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Joins with the real SDK's connect() and returns the options its signalling would get. */
async function optionsTheSdkDerives(transport: TwilioTransport, local: FakeStream, captured: () => Record<string, unknown> | null) {
  await transport.connect(local as unknown as MediaStream);
  const options = captured();
  transport.leave();
  if (!options) throw new Error('the SDK never reached its signalling');
  return options;
}

/**
 * A real `RemoteVideoTrack` built with what the SDK derived from our connect options, rendered
 * the way the apps render it (its MediaStreamTrack in a `srcObject`, never `attach()`ed). Returns
 * every render hint it would send to Twilio's media server.
 */
function renderHintsOfARemoteVideo(derived: Record<string, unknown>) {
  vi.useFakeTimers();
  const hints: unknown[] = [];
  const track = new RemoteVideoTrack(
    'MT-remote',
    new MediaTrackReceiver('MT-remote', new FakeTrack('video')),
    true,
    false,
    () => {},
    (hint: unknown) => hints.push(hint),
    { clientTrackSwitchOffControl: derived.clientTrackSwitchOffControl, contentPreferencesMode: derived.contentPreferencesMode },
  );
  // The SDK's hidden element receives its first frames: the track has started.
  track._dummyEl.oncanplay?.();
  // Far past the SDK's 50 ms switch-off delay.
  vi.advanceTimersByTime(5_000);
  return hints;
}

function realSdkWith(connect: TwilioVideoSdk['connect']): TwilioVideoSdk {
  return {
    isSupported: true,
    connect,
    LocalAudioTrack: realSdk.LocalAudioTrack as TwilioVideoSdk['LocalAudioTrack'],
    LocalVideoTrack: realSdk.LocalVideoTrack as TwilioVideoSdk['LocalVideoTrack'],
  };
}

describe('connect options through twilio-video 2.36', () => {
  function transportCapturing(bandwidthProfile?: SdkConnectOptions['bandwidthProfile']) {
    let captured: Record<string, unknown> | null = null;
    // Stands in for the SDK's signalling: records what connect() worked out, then stops the join.
    class CapturingSignaling {
      constructor(_server: string, options: Record<string, unknown>) {
        captured = options;
        throw new Error('no signalling here');
      }
    }
    const connect = (token: string, options: SdkConnectOptions) =>
      realSdk.connect(token, {
        ...options,
        ...(bandwidthProfile ? { bandwidthProfile } : {}),
        signaling: CapturingSignaling,
        insights: false,
        logLevel: 'off',
      }) as Promise<never>;
    const transport = new TwilioTransport({
      role: 'specialist',
      getToken: async () => ({ token: 'jwt', roomName: 'live-assist-s1' }),
      loadSdk: async () => realSdkWith(connect),
      firstJoinDelaysMs: [],
      page: null,
      createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    });
    return { transport, captured: () => captured };
  }

  it('keeps a started remote video on although no element is attached to it', async () => {
    browserGlobals('desktop');
    const { transport, captured } = transportCapturing();
    const derived = await optionsTheSdkDerives(transport, new FakeStream(), captured);
    expect(derived.clientTrackSwitchOffControl).toBe('manual');
    expect(derived.contentPreferencesMode).toBe('manual');

    const hints = renderHintsOfARemoteVideo(derived);
    expect(hints).not.toContainEqual(expect.objectContaining({ enabled: false }));
  });

  it('(control) the profile alone would switch that video off within the SDK’s delay', async () => {
    browserGlobals('desktop');
    const { transport, captured } = transportCapturing({ video: { mode: 'collaboration' } });
    const derived = await optionsTheSdkDerives(transport, new FakeStream(), captured);
    expect(derived.clientTrackSwitchOffControl).toBe('auto');
    expect(renderHintsOfARemoteVideo(derived)).toContainEqual({ enabled: false });
  });

  it('publishes the SDK wrappers of the captured tracks, with the rear-camera constraints', async () => {
    browserGlobals('desktop');
    const { transport, captured } = transportCapturing();
    const mic = new FakeTrack('audio');
    const cam = new FakeTrack('video');
    const derived = await optionsTheSdkDerives(transport, new FakeStream([mic, cam]), captured);
    const tracks = derived.tracks as Array<{ mediaStreamTrack: FakeTrack; _constraints: MediaTrackConstraints }>;
    expect(tracks.map((t) => t.mediaStreamTrack)).toEqual([mic, cam]);
    expect(tracks.every((t) => t instanceof realSdk.LocalAudioTrack || t instanceof realSdk.LocalVideoTrack)).toBe(true);
    expect(tracks[1]!._constraints).toEqual(expect.objectContaining({ facingMode: { ideal: 'environment' } }));
  });
});

describe('iPhone back from the background (the SDK’s WebKit workaround)', () => {
  it('captures the rear camera again and the preview follows the new track', async () => {
    const doc = browserGlobals('iphone');
    const cameraRequests: MediaStreamConstraints[] = [];
    const recaptured: FakeTrack[] = [];
    const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
      cameraRequests.push(constraints);
      const track = new FakeTrack('video');
      recaptured.push(track);
      return new FakeStream([track]) as unknown as MediaStream;
    });
    let published: Array<{ mediaStreamTrack: FakeTrack; isStopped: boolean }> = [];
    const room = Object.assign(new EventTarget(), {
      name: 'live-assist-s1',
      sid: 'RM1',
      state: 'connected',
      participants: new Map(),
      localParticipant: Object.assign(new EventTarget(), {
        identity: 'customer',
        sid: 'PA1',
        networkQualityLevel: null,
        on() {},
        removeListener() {},
        publishTrack: async () => ({}),
        unpublishTrack() {},
      }),
      on() {},
      removeListener() {},
      disconnect() {},
    });
    const transport = new TwilioTransport({
      role: 'customer',
      getToken: async () => ({ token: 'jwt', roomName: 'live-assist-s1' }),
      loadSdk: async () =>
        realSdkWith(async (_token, options) => {
          published = options.tracks as unknown as typeof published;
          return room as never;
        }),
      getUserMedia,
      page: null,
      createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    });
    const previews: Array<FakeStream | null> = [];
    transport.on('localStream', (s) => previews.push(s as unknown as FakeStream | null));
    const cam = new FakeTrack('video');
    await transport.connect(new FakeStream([cam]) as unknown as MediaStream);
    expect(published.map((t) => t.mediaStreamTrack)).toEqual([cam]);

    // The customer switches apps: iOS mutes the camera; coming back, the SDK captures again.
    doc.hide();
    cam.muted = true;
    doc.show();

    await vi.waitFor(() => expect(previews.at(-1)?.getVideoTracks()).toEqual([recaptured[0]]));
    expect(cameraRequests).toEqual([{ audio: false, video: expect.objectContaining({ facingMode: { ideal: 'environment' } }) }]);
    expect(cam.readyState).toBe('ended');
    expect(transport.localStream?.getVideoTracks()).toEqual([recaptured[0]]);
    // The published wrapper now sends the new capture.
    expect(published[0]!.mediaStreamTrack).toBe(recaptured[0]);
    transport.leave();
    expect(recaptured[0]!.readyState).toBe('ended');
  });
});
