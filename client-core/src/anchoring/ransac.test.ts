import { describe, expect, it } from 'vitest';
import { mulberry32, ransacSimilarity } from './ransac.js';

describe('RANSAC similarity', () => {
  it('recovers the motion with 30 % of the tracks wrong', () => {
    const random = mulberry32(3);
    const truth = { a: 1.1 * Math.cos(0.3), b: 1.1 * Math.sin(0.3), tx: 12, ty: -7 };
    const n = 40;
    const src = new Float32Array(2 * n);
    const dst = new Float32Array(2 * n);
    const wrong = new Set<number>();
    while (wrong.size < 12) wrong.add(Math.floor(random() * n));
    for (let k = 0; k < n; k += 1) {
      const x = 100 + random() * 80;
      const y = 60 + random() * 60;
      src[2 * k] = x;
      src[2 * k + 1] = y;
      // Good tracks carry 0.2 px of noise; wrong ones land anywhere up to 40 px off.
      const noise = wrong.has(k) ? 40 : 0.2;
      dst[2 * k] = truth.a * x - truth.b * y + truth.tx + (random() * 2 - 1) * noise;
      dst[2 * k + 1] = truth.b * x + truth.a * y + truth.ty + (random() * 2 - 1) * noise;
    }
    const fit = ransacSimilarity(src, dst, new Uint8Array(n).fill(1), { threshold: 2, iterations: 80, random: mulberry32(1) })!;
    expect(fit.count).toBeGreaterThanOrEqual(28);
    // No track more than 2 px off the true motion counts as agreeing.
    for (let k = 0; k < n; k += 1) {
      const x = src[2 * k]!;
      const y = src[2 * k + 1]!;
      const off = Math.hypot(truth.a * x - truth.b * y + truth.tx - dst[2 * k]!, truth.b * x + truth.a * y + truth.ty - dst[2 * k + 1]!);
      if (off > 2.5) expect(fit.inliers[k], `track ${k} is ${off.toFixed(1)} px off`).toBe(0);
    }
    // The region's centre lands within 0.3 px of where the true motion puts it.
    const cx = 140;
    const cy = 90;
    const ex = fit.model.a * cx - fit.model.b * cy + fit.model.tx - (truth.a * cx - truth.b * cy + truth.tx);
    const ey = fit.model.b * cx + fit.model.a * cy + fit.model.ty - (truth.b * cx + truth.a * cy + truth.ty);
    expect(Math.hypot(ex, ey)).toBeLessThan(0.3);
    expect(Math.atan2(fit.model.b, fit.model.a)).toBeCloseTo(0.3, 2);
  });

  it('gives nothing for fewer than two tracks', () => {
    const one = Float32Array.from([1, 2]);
    expect(ransacSimilarity(one, one, [1], { threshold: 2, iterations: 10, random: mulberry32(1) })).toBeNull();
  });
});
