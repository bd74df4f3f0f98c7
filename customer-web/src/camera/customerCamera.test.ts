import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter, type CameraTrack, type RelaySocketEvents } from '@live-assist/client-core';
import type { CameraFacing, ClientToRelay, RelayToClient } from '@live-assist/protocol';
import { CustomerCamera } from './customerCamera.js';

const PHONE = { otherCamera: true, pointsOfInterest: true };

/** A phone's camera track: the controls it has are in `caps`, what it does now in `settings`. */
class FakeCameraTrack implements CameraTrack {
  readyState: MediaStreamTrackState = 'live';
  private readonly settings: Record<string, unknown>;
  constructor(
    private readonly caps: Record<string, unknown> = { torch: true, zoom: { min: 1, max: 5, step: 0.1 }, focusMode: ['single-shot'] },
    settings: Record<string, unknown> = { torch: false, zoom: 1, facingMode: 'environment' },
  ) {
    this.settings = { ...settings };
  }
  getCapabilities = () => this.caps;
  getSettings = () => ({ ...this.settings });
  async applyConstraints(constraints: MediaTrackConstraints) {
    for (const entry of (constraints.advanced ?? []) as Record<string, unknown>[]) Object.assign(this.settings, entry);
  }
}

function setup(options: { track?: FakeCameraTrack | null; otherCamera?: boolean } = {}) {
  const socketEvents = new Emitter<RelaySocketEvents>();
  const sent: ClientToRelay[] = [];
  let track: FakeCameraTrack | null = options.track === undefined ? new FakeCameraTrack() : options.track;
  const switchCamera = vi.fn(async (facing: CameraFacing) => {
    track = new FakeCameraTrack({ torch: false }, { facingMode: facing });
  });
  const camera = new CustomerCamera({
    socket: { send: (f) => (sent.push(f), true), on: (e, h) => socketEvents.on(e, h) },
    track: () => track,
    switchCamera,
    context: async () => ({ ...PHONE, otherCamera: options.otherCamera ?? true }),
    noticeMs: 50,
  });
  const request = (requestId: number, change: Extract<RelayToClient, { type: 'camera-request' }>['change']) =>
    socketEvents.emit('frame', { type: 'camera-request', requestId, change });
  const of = <T extends ClientToRelay['type']>(type: T) => sent.filter((f): f is Extract<ClientToRelay, { type: T }> => f.type === type);
  return { camera, sent, of, request, switchCamera, track: () => track, emit: socketEvents };
}

let made: CustomerCamera[] = [];
afterEach(() => {
  for (const c of made) c.dispose();
  made = [];
});

describe('the phone answers camera control', () => {
  it('reports its camera at once and after every welcome (a new or restarted relay learns it)', async () => {
    const t = setup();
    made.push(t.camera);
    await vi.waitFor(() => expect(t.of('camera-state')).toHaveLength(1));
    expect(t.of('camera-state')[0]).toMatchObject({
      capabilities: { torch: true, zoom: { min: 1, max: 5, step: 0.1 }, focus: true, switchCamera: true },
      settings: { torch: false, zoom: 1, facing: 'environment' },
    });
    t.emit.emit('welcome', {} as RelaySocketEvents['welcome']);
    await vi.waitFor(() => expect(t.of('camera-state')).toHaveLength(2));
  });

  it("applies the specialist's light on its own track, answers, reports the new state, and tells the customer, who can turn it off again", async () => {
    const t = setup();
    made.push(t.camera);
    t.request(7, { kind: 'torch', on: true });
    await vi.waitFor(() => expect(t.of('camera-applied')).toEqual([{ type: 'camera-applied', requestId: 7, ok: true }]));
    await vi.waitFor(() => expect(t.of('camera-state').at(-1)?.settings?.torch).toBe(true));
    expect(t.track()?.getSettings()).toMatchObject({ torch: true });
    const notice = t.camera.state.notice;
    expect(notice).toMatchObject({ change: { kind: 'torch', on: true }, undo: { kind: 'torch', on: false } });

    await t.camera.undo(notice!);
    expect(t.track()?.getSettings()).toMatchObject({ torch: false });
    expect(t.of('camera-state').at(-1)?.settings?.torch).toBe(false);
    expect(t.camera.state.notice).toBeNull();
  });

  it('zoom is undone to the level before it; the notice goes by itself after a while', async () => {
    const t = setup();
    made.push(t.camera);
    await vi.waitFor(() => expect(t.camera.state.settings).not.toBeNull());
    t.request(1, { kind: 'zoom', level: 3 });
    await vi.waitFor(() => expect(t.camera.state.settings?.zoom).toBe(3));
    expect(t.camera.state.notice?.undo).toEqual({ kind: 'zoom', level: 1 });
    await vi.waitFor(() => expect(t.camera.state.notice).toBeNull());
  });

  it('switches to the other camera through the call, and reports what the new camera can do', async () => {
    const t = setup();
    made.push(t.camera);
    await vi.waitFor(() => expect(t.camera.state.capabilities).not.toBeNull());
    t.request(2, { kind: 'facing', facing: 'user' });
    await vi.waitFor(() => expect(t.of('camera-applied')).toEqual([{ type: 'camera-applied', requestId: 2, ok: true }]));
    expect(t.switchCamera).toHaveBeenCalledWith('user');
    await vi.waitFor(() => expect(t.of('camera-state').at(-1)?.settings?.facing).toBe('user'));
    expect(t.of('camera-state').at(-1)?.capabilities?.torch).toBe(false);
    expect(t.camera.state.notice?.undo).toEqual({ kind: 'facing', facing: 'environment' });
  });

  it('refuses what it cannot do, with the reason, and shows the customer nothing', async () => {
    const t = setup({ track: new FakeCameraTrack({}, {}), otherCamera: false });
    made.push(t.camera);
    await vi.waitFor(() => expect(t.camera.state.capabilities).not.toBeNull());
    t.request(1, { kind: 'torch', on: true });
    t.request(2, { kind: 'facing', facing: 'user' });
    await vi.waitFor(() => expect(t.of('camera-applied')).toHaveLength(2));
    expect(t.of('camera-applied')).toEqual([
      { type: 'camera-applied', requestId: 1, ok: false, refusal: 'unsupported' },
      { type: 'camera-applied', requestId: 2, ok: false, refusal: 'unsupported' },
    ]);
    expect(t.switchCamera).not.toHaveBeenCalled();
    expect(t.camera.state.notice).toBeNull();
  });

  it('with the camera off, every request is refused as camera-off and the console is told there is no camera', async () => {
    const t = setup({ track: null });
    made.push(t.camera);
    await vi.waitFor(() => expect(t.of('camera-state')).toEqual([{ type: 'camera-state', capabilities: null, settings: null }]));
    t.request(3, { kind: 'zoom', level: 2 });
    await vi.waitFor(() =>
      expect(t.of('camera-applied')).toEqual([{ type: 'camera-applied', requestId: 3, ok: false, refusal: 'camera-off' }]),
    );
  });

  it("the customer's own light switch changes the camera without a notice", async () => {
    const t = setup();
    made.push(t.camera);
    await vi.waitFor(() => expect(t.camera.state.settings).not.toBeNull());
    await t.camera.toggleTorch();
    expect(t.camera.state.settings?.torch).toBe(true);
    expect(t.camera.state.notice).toBeNull();
    expect(t.of('camera-state').at(-1)?.settings?.torch).toBe(true);
  });
});
