import type { Similarity } from './types.js';

/** Deterministic PRNG (mulberry32): the same frames give the same transform, in tests and live; test support draws its generated pictures with it too. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Least-squares similarity src → dst over the listed point indices (x,y pairs). */
export function fitSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>, idx: readonly number[]): Similarity | null {
  const n = idx.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (const k of idx) {
    sx += src[2 * k]!;
    sy += src[2 * k + 1]!;
    dx += dst[2 * k]!;
    dy += dst[2 * k + 1]!;
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let norm = 0;
  let dot = 0;
  let cross = 0;
  for (const k of idx) {
    const px = src[2 * k]! - sx;
    const py = src[2 * k + 1]! - sy;
    const qx = dst[2 * k]! - dx;
    const qy = dst[2 * k + 1]! - dy;
    norm += px * px + py * py;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  if (norm < 1e-9) return null;
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export type RansacResult = { model: Similarity; inliers: Uint8Array; count: number };

function countInliers(m: Similarity, src: ArrayLike<number>, dst: ArrayLike<number>, use: ArrayLike<number>, t2: number, out: Uint8Array) {
  let count = 0;
  for (let k = 0; k < out.length; k += 1) {
    out[k] = 0;
    if (!use[k]) continue;
    const x = src[2 * k]!;
    const y = src[2 * k + 1]!;
    const ex = m.a * x - m.b * y + m.tx - dst[2 * k]!;
    const ey = m.b * x + m.a * y + m.ty - dst[2 * k + 1]!;
    if (ex * ex + ey * ey <= t2) {
      out[k] = 1;
      count += 1;
    }
  }
  return count;
}

/**
 * RANSAC over two-point similarities, then least squares on the inliers (twice, as the inlier set
 * settles). `use` marks the pairs to consider; `threshold` is the inlier distance in px.
 */
export function ransacSimilarity(
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  use: ArrayLike<number>,
  opts: { threshold: number; iterations: number; random: () => number },
): RansacResult | null {
  const n = src.length / 2;
  const candidates: number[] = [];
  for (let k = 0; k < n; k += 1) if (use[k]) candidates.push(k);
  if (candidates.length < 2) return null;
  const t2 = opts.threshold * opts.threshold;
  const scratch = new Uint8Array(n);
  let best: Similarity | null = null;
  let bestCount = -1;
  for (let it = 0; it < opts.iterations; it += 1) {
    const i = candidates[Math.floor(opts.random() * candidates.length)]!;
    const j = candidates[Math.floor(opts.random() * candidates.length)]!;
    if (i === j) continue;
    const m = fitSimilarity(src, dst, [i, j]);
    if (!m) continue;
    const count = countInliers(m, src, dst, use, t2, scratch);
    if (count > bestCount) {
      best = m;
      bestCount = count;
      // Nearly all agree: more samples cannot do better.
      if (count >= candidates.length * 0.95) break;
    }
  }
  if (!best) return null;
  const inliers = new Uint8Array(n);
  let count = countInliers(best, src, dst, use, t2, inliers);
  for (let round = 0; round < 2; round += 1) {
    const idx: number[] = [];
    for (let k = 0; k < n; k += 1) if (inliers[k]) idx.push(k);
    const refit = fitSimilarity(src, dst, idx);
    if (!refit) break;
    const c = countInliers(refit, src, dst, use, t2, scratch);
    if (c < count) break;
    best = refit;
    count = c;
    inliers.set(scratch);
  }
  return { model: best, inliers, count };
}
