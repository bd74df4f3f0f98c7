import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter, type RelaySocketEvents } from '@live-assist/client-core';
import {
  ClientToRelaySchema,
  type CameraChange,
  type CameraStateFrame,
  type ClientToRelay,
  type RelayToClient,
} from '@live-assist/protocol';
import { ANSWER_TIMEOUT_MS, CameraProblem, ConsoleCamera, PROBLEM_SHOWN_MS, shownSettings, type CameraSocket } from './consoleCamera';
import { snapZoom, zoomIncrement, zoomStep } from './zoom';

class FakeSocket implements CameraSocket {
  open = true;
  readonly sent: ClientToRelay[] = [];
  /** Requests to hear the phone's state again: reading, not acting, so kept apart from `sent`. */
  syncs = 0;
  private readonly emitter = new Emitter<RelaySocketEvents>();
  on<K extends keyof RelaySocketEvents>(event: K, handler: (p: RelaySocketEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }
  send(frame: ClientToRelay): boolean {
    // Whatever the console sends must be a frame the relay accepts.
    ClientToRelaySchema.parse(frame);
    if (!this.open) return false;
    if (frame.type === 'camera-sync') this.syncs += 1;
    else this.sent.push(frame);
    return true;
  }
  deliver(frame: RelayToClient): void {
    this.emitter.emit('frame', frame);
  }
  /** The changes asked for so far, in order. */
  changes(): CameraChange[] {
    return this.sent.flatMap((f) => (f.type === 'camera-request' ? [f.change] : []));
  }
  lastRequestId(): number {
    const last = this.sent.findLast((f) => f.type === 'camera-request');
    return last?.type === 'camera-request' ? last.requestId : -1;
  }
}

const REAR: CameraStateFrame = {
  type: 'camera-state',
  capabilities: { torch: true, zoom: { min: 1, max: 8, step: 0.1 }, focus: true, switchCamera: true },
  settings: { torch: false, zoom: 1, facing: 'environment' },
};
/** The front camera of most phones: no light, no zoom, no focus point. */
const FRONT: CameraStateFrame = {
  type: 'camera-state',
  capabilities: { torch: false, zoom: null, focus: false, switchCamera: true },
  settings: { torch: false, zoom: null, facing: 'user' },
};
const OFF: CameraStateFrame = { type: 'camera-state', capabilities: null, settings: null };

describe('ConsoleCamera', () => {
  let socket: FakeSocket;
  let camera: ConsoleCamera;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    camera = new ConsoleCamera({ socket, canControl: true });
  });
  afterEach(() => {
    camera.dispose();
    vi.useRealTimers();
  });

  it('has controls only for what the phone reports, and none while the camera is off', () => {
    expect(camera.state.get().capabilities).toBeNull();
    camera.setTorch(true);
    camera.setZoom(2);
    camera.switchCamera();
    camera.armFocus();
    expect(socket.sent).toEqual([]);
    expect(camera.state.get().focusArmed).toBe(false);

    socket.deliver(REAR);
    expect(camera.state.get().capabilities).toEqual(REAR.capabilities);
    expect(shownSettings(camera.state.get())).toEqual({ torch: false, zoom: 1, facing: 'environment' });

    socket.deliver(FRONT);
    camera.setTorch(true);
    camera.setZoom(3);
    camera.armFocus();
    expect(socket.sent).toEqual([]);
    expect(shownSettings(camera.state.get()).zoom).toBeNull();
    camera.switchCamera();
    expect(socket.changes()).toEqual([{ kind: 'facing', facing: 'environment' }]);

    socket.deliver(REAR);
    camera.armFocus();
    socket.deliver(OFF);
    expect(camera.state.get()).toMatchObject({ capabilities: null, pending: null, focusArmed: false });
  });

  it('asks for the light and shows it on at once; the phone answers, then reports, and nothing waits any more', () => {
    socket.deliver(REAR);
    camera.setTorch(true);
    const requestId = socket.lastRequestId();
    expect(socket.sent).toEqual([{ type: 'camera-request', requestId, change: { kind: 'torch', on: true } }]);
    expect(camera.state.get().pending).toEqual({ requestId, change: { kind: 'torch', on: true } });
    expect(shownSettings(camera.state.get()).torch).toBe(true);

    socket.deliver({ type: 'camera-applied', requestId, ok: true });
    expect(camera.state.get().pending).toBeNull();
    // Between the answer and the report the toggle does not flick back off.
    expect(shownSettings(camera.state.get()).torch).toBe(true);
    socket.deliver({ ...REAR, settings: { torch: true, zoom: 1, facing: 'environment' } });
    expect(camera.state.get().wanted).toEqual({ torch: null, zoom: null, facing: null });
    expect(shownSettings(camera.state.get()).torch).toBe(true);

    // The customer turns it off on the phone: the console follows the phone.
    socket.deliver(REAR);
    expect(shownSettings(camera.state.get()).torch).toBe(false);
  });

  it('sends a dragged zoom at most 8 times a second and always the level the slider stops at', () => {
    socket.deliver(REAR);
    // 60 input events a second for half a second, from 1× to 4×.
    for (let i = 1; i <= 30; i++) {
      camera.setZoom(1 + (i * 3) / 30);
      vi.advanceTimersByTime(16);
    }
    camera.setZoom(4.04);
    const sentWhileDragging = socket.changes().length;
    expect(sentWhileDragging).toBeLessThanOrEqual(5);
    expect(shownSettings(camera.state.get()).zoom).toBe(4);
    vi.advanceTimersByTime(200);
    const zooms = socket.changes().map((c) => (c.kind === 'zoom' ? c.level : null));
    expect(zooms.at(-1)).toBe(4);
    expect(zooms.length).toBeLessThanOrEqual(sentWhileDragging + 1);
    // Levels are on the phone's step grid.
    for (const level of zooms) expect(Math.round((level ?? 0) * 10) / 10).toBe(level);

    // An early answer and report (a level from the middle of the drag) do not move the slider back.
    const first = socket.sent.find((f) => f.type === 'camera-request');
    socket.deliver({ type: 'camera-applied', requestId: first?.type === 'camera-request' ? first.requestId : 0, ok: true });
    socket.deliver({ ...REAR, settings: { torch: false, zoom: 1.1, facing: 'environment' } });
    expect(shownSettings(camera.state.get()).zoom).toBe(4);
    socket.deliver({ type: 'camera-applied', requestId: socket.lastRequestId(), ok: true });
    socket.deliver({ ...REAR, settings: { torch: false, zoom: 4, facing: 'environment' } });
    expect(camera.state.get().wanted.zoom).toBeNull();
    expect(shownSettings(camera.state.get()).zoom).toBe(4);
  });

  it('clamps zoom to the range, steps with − and +, and sends nothing at the ends', () => {
    socket.deliver({ ...REAR, settings: { torch: false, zoom: 7.8, facing: 'environment' } });
    camera.zoomBy(1);
    expect(socket.changes()).toEqual([{ kind: 'zoom', level: 8 }]);
    vi.advanceTimersByTime(200);
    camera.zoomBy(1);
    camera.setZoom(50);
    vi.advanceTimersByTime(200);
    expect(socket.changes()).toHaveLength(1);
    camera.zoomBy(-1);
    vi.advanceTimersByTime(200);
    expect(socket.changes().at(-1)).toEqual({ kind: 'zoom', level: 7.5 });
  });

  it('shows a refusal for a while and puts the control back to what the phone does', () => {
    socket.deliver(REAR);
    camera.setTorch(true);
    socket.deliver({ type: 'camera-applied', requestId: socket.lastRequestId(), ok: false, refusal: 'failed' });
    expect(camera.state.get()).toMatchObject({ pending: null, problem: CameraProblem.failed });
    expect(shownSettings(camera.state.get()).torch).toBe(false);
    vi.advanceTimersByTime(PROBLEM_SHOWN_MS);
    expect(camera.state.get().problem).toBeNull();

    // Asking again clears an old refusal at once.
    camera.setTorch(true);
    socket.deliver({ type: 'camera-applied', requestId: socket.lastRequestId(), ok: false, refusal: 'unsupported' });
    expect(camera.state.get().problem).toBe(CameraProblem.unsupported);
    camera.switchCamera();
    expect(camera.state.get().problem).toBeNull();
  });

  it('says the phone is not connected when the relay cannot pass a request on, and the console offline when it cannot send', () => {
    socket.deliver(REAR);
    // An unrelated no-peer answer while nothing is asked is not about the camera.
    socket.deliver({ type: 'error', code: 'no-peer', message: 'the customer is not connected' });
    expect(camera.state.get().problem).toBeNull();
    camera.setZoom(3);
    socket.deliver({ type: 'error', code: 'no-peer', message: 'the customer is not connected' });
    expect(camera.state.get()).toMatchObject({ pending: null, problem: CameraProblem.noPhone });
    expect(shownSettings(camera.state.get()).zoom).toBe(1);

    socket.open = false;
    camera.setTorch(true);
    expect(camera.state.get()).toMatchObject({ pending: null, problem: CameraProblem.notSent });
    expect(shownSettings(camera.state.get()).torch).toBe(false);
  });

  it('stops waiting for a phone that never answers', () => {
    socket.deliver(REAR);
    camera.setTorch(true);
    vi.advanceTimersByTime(ANSWER_TIMEOUT_MS);
    expect(camera.state.get().pending).toBeNull();
    expect(shownSettings(camera.state.get()).torch).toBe(false);
  });

  it('switches to the other camera, the rear one when the phone does not say', () => {
    socket.deliver(REAR);
    camera.switchCamera();
    expect(socket.changes()).toEqual([{ kind: 'facing', facing: 'user' }]);
    socket.deliver({ ...REAR, settings: { torch: false, zoom: 1, facing: null } });
    camera.switchCamera();
    expect(socket.changes().at(-1)).toEqual({ kind: 'facing', facing: 'environment' });
  });

  it('focus is armed for one click on the picture, then drawing is back', () => {
    socket.deliver(REAR);
    camera.armFocus();
    expect(camera.state.get().focusArmed).toBe(true);
    camera.focusAt(0.25, 1.2);
    expect(socket.changes()).toEqual([{ kind: 'focus', x: 0.25, y: 1 }]);
    expect(camera.state.get().focusArmed).toBe(false);

    camera.armFocus();
    camera.disarmFocus();
    expect(camera.state.get().focusArmed).toBe(false);
    // A camera without focus points disarms.
    camera.armFocus();
    socket.deliver({ ...REAR, capabilities: { ...REAR.capabilities!, focus: false } });
    expect(camera.state.get().focusArmed).toBe(false);
  });

  it('ignores answers to requests it never sent (a console that reloaded)', () => {
    socket.deliver(REAR);
    camera.setTorch(true);
    socket.deliver({ type: 'camera-applied', requestId: 99, ok: false, refusal: 'failed' });
    expect(camera.state.get().problem).toBeNull();
    expect(camera.state.get().pending).not.toBeNull();
  });

  it("asks the relay again for the phone's camera when made: the state sent on join may have gone by", () => {
    expect(socket.syncs).toBe(1);
  });

  it("sends nothing from an observer's console but the request to read the state, and still sees the phone's report", () => {
    camera.dispose();
    camera = new ConsoleCamera({ socket, canControl: false });
    socket.deliver(REAR);
    expect(camera.state.get().capabilities).toEqual(REAR.capabilities);
    camera.setTorch(true);
    camera.setZoom(3);
    camera.zoomBy(1);
    camera.switchCamera();
    camera.armFocus();
    camera.focusAt(0.5, 0.5);
    vi.advanceTimersByTime(1_000);
    expect(socket.sent).toEqual([]);
    expect(socket.syncs).toBe(2);
    expect(camera.state.get().focusArmed).toBe(false);
  });

  it('stops listening when disposed', () => {
    camera.dispose();
    socket.deliver(REAR);
    expect(camera.state.get().capabilities).toBeNull();
  });
});

describe('zoom levels', () => {
  const range = { min: 1, max: 8, step: 0.1 };
  it('snaps to the range and the step grid without float noise', () => {
    expect(snapZoom(2.04, range)).toBe(2);
    expect(snapZoom(1.25, { min: 1, max: 4, step: 0.5 })).toBe(1.5);
    expect(snapZoom(0.2, range)).toBe(1);
    expect(snapZoom(9, range)).toBe(8);
    expect(snapZoom(Number.NaN, range)).toBe(1);
    expect(snapZoom(2.345678, { min: 1, max: 4, step: 0 })).toBe(2.345678);
  });

  it('steps by a round amount on its own grid', () => {
    expect(zoomIncrement(range)).toBe(0.5);
    expect(zoomIncrement({ min: 1, max: 30, step: 0.1 })).toBe(2);
    expect(zoomIncrement({ min: 1, max: 2, step: 0.01 })).toBe(0.1);
    expect(zoomIncrement({ min: 1, max: 2, step: 0.5 })).toBe(0.5);
    expect(zoomStep(1, 1, range)).toBe(1.5);
    expect(zoomStep(1.3, 1, range)).toBe(1.5);
    expect(zoomStep(1.3, -1, range)).toBe(1);
    expect(zoomStep(2, -1, range)).toBe(1.5);
  });
});
