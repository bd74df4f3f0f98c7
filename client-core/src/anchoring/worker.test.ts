import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { movingObjectScene } from '../../../tests/support/moving-object.js';
import type { AnchorUpdate } from './types.js';

// The worker's pixels come from OffscreenCanvas, which Node lacks: a stand-in that hands out the
// gray frame a fake bitmap carries, at the size the worker draws it.
class FakeBitmap {
  closed = false;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly gray: Uint8Array,
  ) {}
  close() {
    this.closed = true;
  }
}

class FakeCanvas {
  private drawn: FakeBitmap | null = null;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  getContext() {
    return {
      imageSmoothingEnabled: false,
      imageSmoothingQuality: 'low',
      drawImage: (b: FakeBitmap, _x: number, _y: number, w: number, h: number) => {
        if (w * h !== b.gray.length) throw new Error(`drawn at ${w}x${h}, the fake frame has ${b.gray.length} pixels`);
        this.drawn = b;
      },
      getImageData: () => {
        const gray = this.drawn!.gray;
        const data = new Uint8ClampedArray(gray.length * 4);
        for (let i = 0; i < gray.length; i += 1) data.set([gray[i]!, gray[i]!, gray[i]!, 255], i * 4);
        return { data };
      },
    };
  }
}

const replies: { seq: number; updates?: AnchorUpdate[]; error?: string }[] = [];
let send: (data: unknown) => void;

beforeEach(async () => {
  replies.length = 0;
  vi.stubGlobal('ImageBitmap', FakeBitmap);
  vi.stubGlobal('OffscreenCanvas', FakeCanvas);
  vi.stubGlobal('postMessage', (m: (typeof replies)[number]) => replies.push(m));
  vi.resetModules();
  await import('./worker.js');
  const handler = (globalThis as unknown as { onmessage: (e: MessageEvent) => void }).onmessage;
  send = (data) => handler({ data } as MessageEvent);
});

afterEach(() => {
  vi.unstubAllGlobals();
  (globalThis as unknown as { onmessage: unknown }).onmessage = null;
});

const scene = movingObjectScene({
  width: 320,
  height: 180,
  seconds: 1,
  seed: 21,
  pose: (t) => ({ cx: 0.45 + (3 / 320) * Math.round(t * 30), cy: 0.5, angle: 0, scale: 1 }),
  objectWidth: 0.3,
});
// A 640x360 video frame, tracked at 320x180.
const frame = (f: number) => new FakeBitmap(640, 360, scene.luma(f));

describe('anchoring worker', () => {
  it('tracks an anchored region into later frames and closes every frame it is given', () => {
    send({ type: 'init', width: 320 });
    const first = frame(0);
    send({ type: 'anchor', id: 'm', bitmap: first, region: scene.startRegion(), frameTime: 0 });
    const frames = [1, 2, 3, 4, 5].map(frame);
    frames.forEach((bitmap, i) => send({ type: 'track', seq: i + 1, bitmap, frameTime: (i + 1) / 30 }));
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    const last = replies.at(-1)!.updates!;
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ id: 'm', lost: false, frameTime: 5 / 30 });
    // 15 px to the right on a 320 px frame.
    expect(last[0]!.transform.tx).toBeCloseTo(15 / 320, 2);
    expect([first, ...frames].every((b) => b.closed)).toBe(true);
  });

  it('reports the anchors lost when the frames change shape (the phone turned), until dropped', () => {
    send({ type: 'anchor', id: 'm', bitmap: frame(0), region: scene.startRegion(), frameTime: 0 });
    send({ type: 'track', seq: 1, bitmap: frame(1), frameTime: 1 / 30 });
    const portrait = new FakeBitmap(360, 640, new Uint8Array(320 * 569));
    send({ type: 'track', seq: 2, bitmap: portrait, frameTime: 2 / 30 });
    expect(replies[1]!.updates).toEqual([expect.objectContaining({ id: 'm', lost: true })]);
    send({ type: 'drop', id: 'm' });
    send({ type: 'track', seq: 3, bitmap: new FakeBitmap(360, 640, new Uint8Array(320 * 569)), frameTime: 3 / 30 });
    expect(replies[2]!.updates).toEqual([]);
  });

  it('passes the tracker tuning on from init', () => {
    // No region can be 110 % inside the frame: every anchor is lost on its first tracked frame.
    send({ type: 'init', width: 320, options: { minVisible: 1.1, notAnOption: 3 } });
    send({ type: 'anchor', id: 'm', bitmap: frame(0), region: scene.startRegion(), frameTime: 0 });
    send({ type: 'track', seq: 1, bitmap: frame(1), frameTime: 1 / 30 });
    expect(replies[0]!.updates).toEqual([expect.objectContaining({ id: 'm', lost: true })]);
  });

  it('answers a malformed track with an error, so the console does not wait forever', () => {
    send({ type: 'track', seq: 9, bitmap: frame(0), frameTime: 'soon' });
    expect(replies).toEqual([{ seq: 9, error: 'bad request' }]);
  });
});
