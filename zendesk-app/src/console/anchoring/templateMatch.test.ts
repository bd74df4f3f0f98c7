import { describe, expect, it } from 'vitest';
import { MIN_CONFIDENCE, TemplateMatcher, type GrayFrame } from './templateMatch';

const W = 320;
const H = 180;

/** A smooth background with a textured 40 px square at (x, y); none when x is null. */
function frame(x: number | null, y = 60): GrayFrame {
  const data = new Float32Array(W * H);
  for (let r = 0; r < H; r += 1)
    for (let c = 0; c < W; c += 1) {
      let v = 90 + 40 * Math.sin(c / 37) + 30 * Math.cos(r / 23);
      if (x !== null && c >= x && c < x + 40 && r >= y && r < y + 40) {
        const u = c - x;
        const w = r - y;
        v = ((Math.floor(u / 8) + Math.floor(w / 8)) % 2 ? 220 : 30) + 10 * Math.sin(u * w);
      }
      data[r * W + c] = v;
    }
  return { data, width: W, height: H };
}

describe('stand-in template tracker', () => {
  it('follows a moving square to within a pixel and says so', () => {
    const m = new TemplateMatcher();
    m.anchor('m', frame(100), { x: 100 / W, y: 60 / H, width: 40 / W, height: 40 / H }, 0);
    let last = null;
    for (let i = 1; i <= 10; i += 1) [last] = m.track(frame(100 + i * 5, 60 + i), i / 15);
    expect(last?.lost).toBe(false);
    expect(last!.confidence).toBeGreaterThan(0.9);
    expect(last!.transform.tx * W).toBeCloseTo(50, 0);
    expect(last!.transform.ty * H).toBeCloseTo(10, 0);
  });

  it('is lost when the square leaves, and stays lost until anchored again', () => {
    const m = new TemplateMatcher();
    m.anchor('m', frame(100), { x: 100 / W, y: 60 / H, width: 40 / W, height: 40 / H }, 0);
    const [gone] = m.track(frame(null), 1);
    expect(gone?.lost).toBe(true);
    expect(gone!.confidence).toBeLessThan(MIN_CONFIDENCE);
    expect(m.track(frame(100), 2)).toEqual([]);
    m.anchor('m', frame(100), { x: 100 / W, y: 60 / H, width: 40 / W, height: 40 / H }, 3);
    expect(m.track(frame(102), 4)[0]?.lost).toBe(false);
  });
});
