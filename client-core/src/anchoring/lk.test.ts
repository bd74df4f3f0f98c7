import { describe, expect, it } from 'vitest';
import { buildPyramid } from './image.js';
import { trackPointsChecked } from './lk.js';
import { mulberry32 } from './ransac.js';
import { DEFAULT_TRACKER_OPTIONS } from './tracker.js';

const W = 96;
const H = 96;

/** Random blocks: a texture with corners everywhere, never periodic. */
function texture(seed: number): Float32Array {
  const random = mulberry32(seed);
  const img = new Float32Array(W * H).fill(128);
  for (let i = 0; i < 260; i += 1) {
    const x0 = Math.floor(random() * W);
    const y0 = Math.floor(random() * H);
    const w = 2 + Math.floor(random() * 8);
    const h = 2 + Math.floor(random() * 8);
    const v = random() * 255;
    for (let y = y0; y < Math.min(H, y0 + h); y += 1) for (let x = x0; x < Math.min(W, x0 + w); x += 1) img[y * W + x] = v;
  }
  return img;
}

/** `img` moved by (dx, dy) px (bilinear), with `patch` (another texture) pasted over a square. */
function moved(img: Float32Array, dx: number, dy: number, patch?: { x: number; y: number; size: number; from: Float32Array }) {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y += 1) {
    for (let x = 0; x < W; x += 1) {
      const sx = Math.min(W - 1.001, Math.max(0, x - dx));
      const sy = Math.min(H - 1.001, Math.max(0, y - dy));
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * W + x0;
      const top = img[i]! + (img[i + 1]! - img[i]!) * fx;
      const bottom = img[i + W]! + (img[i + W + 1]! - img[i + W]!) * fx;
      out[y * W + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  if (patch)
    for (let y = patch.y; y < patch.y + patch.size; y += 1)
      for (let x = patch.x; x < patch.x + patch.size; x += 1) out[y * W + x] = patch.from[y * W + x]!;
  return out;
}

describe('pyramidal Lucas–Kanade with the forward–backward check', () => {
  const base = texture(1);
  const from = Float32Array.from([30, 30, 60, 30, 30, 60, 60, 60, 48, 48]);
  const use = new Uint8Array(5).fill(1);
  // Everything but the residual check: this is about the round trip alone.
  const opts = { ...DEFAULT_TRACKER_OPTIONS, maxResidual: Infinity };

  it('finds points moved by a sub-pixel shift to within 0.2 px', () => {
    const prev = buildPyramid(moved(base, 0, 0), W, H, 3);
    const next = buildPyramid(moved(base, 3.4, -2.7), W, H, 3);
    const out = new Float32Array(from.length);
    const ok = trackPointsChecked(prev, next, from, from, use, out, opts);
    expect([...ok]).toEqual([1, 1, 1, 1, 1]);
    for (let k = 0; k < 5; k += 1) {
      expect(Math.abs(out[2 * k]! - from[2 * k]! - 3.4)).toBeLessThan(0.2);
      expect(Math.abs(out[2 * k + 1]! - from[2 * k + 1]! + 2.7)).toBeLessThan(0.2);
    }
  });

  it('drops the point whose patch something else covers in the next frame, and keeps the rest', () => {
    const prev = buildPyramid(moved(base, 0, 0), W, H, 3);
    // A different texture over the point at (60, 60) after the move.
    const next = buildPyramid(moved(base, 3, 2, { x: 53, y: 52, size: 18, from: texture(99) }), W, H, 3);
    const out = new Float32Array(from.length);
    const ok = trackPointsChecked(prev, next, from, from, use, out, opts);
    expect([...ok]).toEqual([1, 1, 1, 0, 1]);
  });
});
