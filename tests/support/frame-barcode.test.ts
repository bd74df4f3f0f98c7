import { describe, expect, it } from 'vitest';
import { BARCODE, decodeFrameIndex, stampFrameIndex } from './frame-barcode.js';

/** A grey frame's planes with `index` stamped, as RGBA at `scale` times its size (nearest pixel). */
function stamped(index: number, width = 640, height = 360, scale = 1): { rgba: Uint8ClampedArray; width: number } {
  const planes = {
    y: new Uint8Array(width * height).fill(118),
    u: new Uint8Array((width / 2) * (height / 2)).fill(128),
    v: new Uint8Array((width / 2) * (height / 2)).fill(128),
  };
  stampFrameIndex(planes, width, index);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let r = 0; r < h; r += 1)
    for (let c = 0; c < w; c += 1) {
      const l = planes.y[Math.floor(r / scale) * width + Math.floor(c / scale)]!;
      rgba.set([l, l, l, 255], (r * w + c) * 4);
    }
  return { rgba, width: w };
}

describe('frame counter on the picture', () => {
  it('reads back every index the clip can hold, at full and at half size', () => {
    for (const index of [0, 1, 2, 299, 599, 2 ** BARCODE.bits - 1]) {
      expect(decodeFrameIndex(stamped(index).rgba, 640, 640, BARCODE)).toBe(index);
      const half = stamped(index, 640, 360, 0.5);
      expect(decodeFrameIndex(half.rgba, half.width, 640, BARCODE)).toBe(index);
    }
  });

  it('says it cannot read a picture without one', () => {
    const grey = new Uint8ClampedArray(640 * 360 * 4).fill(118);
    expect(decodeFrameIndex(grey, 640, 640, BARCODE)).toBeNull();
  });
});
