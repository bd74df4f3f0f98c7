import { describe, expect, it, vi } from 'vitest';
import type { MediaState } from '@live-assist/protocol';
import { FakeStream, FakeTrack } from '../testing/fake-webrtc.js';
import { LocalMedia, type LocalMediaEngine } from './local-media.js';

function setup(options: { sendVideo?: LocalMediaEngine['sendVideo'] } = {}) {
  const mic = new FakeTrack('audio');
  const cam = new FakeTrack('video');
  const stream = new FakeStream([mic, cam]) as unknown as MediaStream;
  const names = new Map<unknown, string>([
    [mic, 'mic'],
    [cam, 'cam'],
  ]);
  const name = (track: unknown) => names.get(track) ?? '?';
  /** What the engine was told, in order, one line a call. */
  const steps: string[] = [];
  const states: MediaState[] = [];
  const mutes: boolean[] = [];
  const captured: FakeTrack[] = [];
  let cameraReady: (() => void) | null = null;
  let holdCamera = false;
  const getUserMedia = vi.fn(async () => {
    if (holdCamera) await new Promise<void>((resolve) => (cameraReady = resolve));
    const track = new FakeTrack('video');
    names.set(track, `new cam ${captured.push(track)}`);
    return new FakeStream([track]) as unknown as MediaStream;
  });
  const engine: LocalMediaEngine = {
    releaseCamera: () => steps.push(`release (cam ${cam.readyState})`),
    sendVideo:
      options.sendVideo ??
      (async (track) => {
        steps.push(`send ${track ? name(track) : 'nothing'}`);
      }),
    muteMicrophone: (enabled) => mutes.push(enabled),
    localStreamChanged: (s) => steps.push(`stream ${s.getTracks().map(name).join(' + ')}`),
    mediaStateChanged: (media) => states.push(media),
    cameraChanged: () => steps.push('camera changed'),
  };
  const media = new LocalMedia({
    engine,
    videoConstraints: { facingMode: { ideal: 'environment' } },
    getUserMedia,
    createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
  });
  return {
    media,
    steps,
    states,
    mutes,
    captured,
    getUserMedia,
    mic,
    cam,
    stream,
    tracks: () => media.stream?.getTracks().map(name),
    holdCamera: () => (holdCamera = true),
    releaseCamera: () => cameraReady?.(),
  };
}

describe('LocalMedia', () => {
  it('reads camera and microphone from the media the call starts with, and announces them when asked', () => {
    const t = setup();
    t.cam.stop();
    t.mic.enabled = false;
    t.media.start(t.stream);
    expect(t.steps).toEqual([]);
    expect([t.media.cameraEnabled, t.media.microphoneEnabled]).toEqual([false, false]);

    t.media.announce();
    expect(t.steps).toEqual(['stream mic + cam']);
    expect(t.states).toEqual([{ camera: false, microphone: false }]);
  });

  it('turns the camera off by stopping its track once the engine let go of it, and on with a new capture', async () => {
    const t = setup();
    t.media.start(t.stream);
    await t.media.setCameraEnabled(false);
    expect([t.cam.readyState, t.mic.readyState]).toEqual(['ended', 'live']);
    expect(t.tracks()).toEqual(['mic']);
    expect(t.states.at(-1)).toEqual({ camera: false, microphone: true });

    await t.media.setCameraEnabled(true);
    // Asked for with the same constraints, so it comes back as the same camera.
    expect(t.getUserMedia).toHaveBeenCalledWith({ video: { facingMode: { ideal: 'environment' } } });
    expect(t.tracks()).toEqual(['mic', 'new cam 1']);
    expect(t.media.cameraEnabled).toBe(true);
    expect(t.states.at(-1)).toEqual({ camera: true, microphone: true });
    expect(t.steps).toEqual([
      ...['release (cam live)', 'send nothing', 'stream mic', 'camera changed'],
      ...['release (cam ended)', 'send new cam 1', 'stream mic + new cam 1', 'camera changed'],
    ]);
  });

  it('opens the camera once for a double tap on "camera on"', async () => {
    const t = setup();
    t.media.start(t.stream);
    await t.media.setCameraEnabled(false);
    await Promise.all([t.media.setCameraEnabled(true), t.media.setCameraEnabled(true)]);
    expect(t.getUserMedia).toHaveBeenCalledTimes(1);
    expect(t.captured.every((track) => track.readyState === 'live')).toBe(true);
  });

  it('does nothing when asked for the state the camera is already in, or before the call started', async () => {
    const t = setup();
    await t.media.setCameraEnabled(false);
    t.media.setMicrophoneEnabled(false);
    t.media.start(t.stream);
    await t.media.setCameraEnabled(true);
    expect(t.getUserMedia).not.toHaveBeenCalled();
    expect(t.steps).toEqual([]);
    expect(t.states).toEqual([]);
  });

  it('stops a camera that opens after the call was left, and announces nothing', async () => {
    const t = setup();
    t.media.start(t.stream);
    await t.media.setCameraEnabled(false);
    t.steps.length = 0;
    t.holdCamera();
    const turningOn = t.media.setCameraEnabled(true);
    await vi.waitFor(() => expect(t.getUserMedia).toHaveBeenCalled());
    t.media.stop();
    t.releaseCamera();
    await turningOn;
    expect(t.captured[0]?.readyState).toBe('ended');
    expect(t.media.stream).toBeNull();
    expect(t.steps).toEqual(['release (cam ended)']);
  });

  it('announces nothing when the engine fails to send the new track, and takes the next toggle', async () => {
    let fail = true;
    const t = setup({
      sendVideo: async () => {
        if (fail) throw new Error('replaceTrack failed');
      },
    });
    t.media.start(t.stream);
    await expect(t.media.setCameraEnabled(false)).rejects.toThrow('replaceTrack failed');
    expect(t.states).toEqual([]);
    fail = false;
    await t.media.setCameraEnabled(true);
    expect(t.states).toEqual([{ camera: true, microphone: true }]);
  });

  it('mutes by disabling the microphone track, which stays live, and tells the engine', () => {
    const t = setup();
    t.media.start(t.stream);
    t.media.setMicrophoneEnabled(false);
    expect([t.mic.enabled, t.mic.readyState]).toEqual([false, 'live']);
    expect(t.mutes).toEqual([false]);
    expect(t.media.microphoneEnabled).toBe(false);
    expect(t.states).toEqual([{ camera: true, microphone: false }]);
    t.media.setMicrophoneEnabled(true);
    expect(t.mic.enabled).toBe(true);
    expect(t.states.at(-1)).toEqual({ camera: true, microphone: true });
  });

  it('follows a track the engine captured again, in a new stream', () => {
    const t = setup();
    t.media.start(t.stream);
    const recaptured = new FakeTrack('video');
    t.media.adoptRestartedTrack(recaptured as unknown as MediaStreamTrack);
    expect(t.media.stream?.getTracks()).toEqual([t.mic, recaptured]);

    const micAgain = new FakeTrack('audio');
    t.media.adoptRestartedTrack(micAgain as unknown as MediaStreamTrack);
    expect(t.media.stream?.getTracks()).toEqual([micAgain, recaptured]);
    expect(t.steps).toHaveLength(2);

    // The same track again is no change.
    t.media.adoptRestartedTrack(micAgain as unknown as MediaStreamTrack);
    expect(t.steps).toHaveLength(2);
  });

  it('switches to the other camera: the old one is stopped before the new capture (phones open one at a time), and the choice survives camera off and on', async () => {
    const t = setup();
    t.media.start(t.stream);
    await t.media.switchCamera('user');
    expect(t.getUserMedia).toHaveBeenLastCalledWith({ video: { facingMode: { exact: 'user' } } });
    expect(t.steps).toEqual(['release (cam live)', 'send new cam 1', 'stream mic + new cam 1', 'camera changed']);
    expect(t.states.at(-1)).toEqual({ camera: true, microphone: true });

    await t.media.setCameraEnabled(false);
    await t.media.setCameraEnabled(true);
    expect(t.getUserMedia).toHaveBeenLastCalledWith({ video: { facingMode: { ideal: 'user' } } });
  });

  it('a phone without a camera on that side gets its old camera back, and the switch is refused', async () => {
    const t = setup();
    t.media.start(t.stream);
    t.getUserMedia.mockRejectedValueOnce(Object.assign(new Error('no such camera'), { name: 'OverconstrainedError' }));
    await expect(t.media.switchCamera('user')).rejects.toThrow('no such camera');
    expect(t.getUserMedia).toHaveBeenLastCalledWith({ video: { facingMode: { ideal: 'environment' } } });
    expect(t.tracks()).toEqual(['mic', 'new cam 1']);
    expect(t.media.cameraEnabled).toBe(true);
    // A later switch still asks for the other side; nothing was remembered from the failed one.
    await t.media.setCameraEnabled(false);
    await t.media.setCameraEnabled(true);
    expect(t.getUserMedia).toHaveBeenLastCalledWith({ video: { facingMode: { ideal: 'environment' } } });
  });

  it('when neither camera opens any more, the call goes on as with the camera turned off', async () => {
    const t = setup();
    t.media.start(t.stream);
    t.getUserMedia.mockRejectedValueOnce(new Error('no such camera')).mockRejectedValueOnce(new Error('camera in use'));
    await expect(t.media.switchCamera('user')).rejects.toThrow('no such camera');
    expect(t.tracks()).toEqual(['mic']);
    expect(t.states.at(-1)).toEqual({ camera: false, microphone: true });
    expect(t.steps.slice(-3)).toEqual(['send nothing', 'stream mic', 'camera changed']);
  });

  it('refuses to switch while the camera is off', async () => {
    const t = setup();
    t.media.start(t.stream);
    await t.media.setCameraEnabled(false);
    await expect(t.media.switchCamera('user')).rejects.toThrow('The camera is off');
  });

  it('stops every track when the call is left', () => {
    const t = setup();
    t.media.start(t.stream);
    t.media.stop();
    expect([t.mic.readyState, t.cam.readyState]).toEqual(['ended', 'ended']);
    expect(t.media.stream).toBeNull();
    t.media.setMicrophoneEnabled(false);
    expect(t.states).toEqual([]);
  });
});
