import type { Level } from './image.js';

export type Box = { x0: number; y0: number; x1: number; y1: number };

export type CornerOptions = {
  /** At most this many corners, strongest first. */
  max: number;
  /** Pixels between two corners (and between a new corner and `avoid`). */
  minDistance: number;
  /** Corners weaker than this share of the strongest one are left out. */
  quality: number;
  /** Pixels kept clear of the image's edge (the tracking window must fit). */
  border: number;
};

/**
 * Shi–Tomasi corners (the structure tensor's smaller eigenvalue over a 5x5 window) inside `box`,
 * as x,y pairs. `accept` filters candidates (e.g. inside a rotated region); `avoid` holds points
 * already tracked, so re-seeding adds new places only.
 */
export function detectCorners(
  img: Level,
  box: Box,
  opts: CornerOptions,
  accept: (x: number, y: number) => boolean = () => true,
  avoid: ArrayLike<number> = [],
): number[] {
  const { width, height, data } = img;
  const x0 = Math.max(opts.border, Math.floor(box.x0));
  const y0 = Math.max(opts.border, Math.floor(box.y0));
  const x1 = Math.min(width - 1 - opts.border, Math.ceil(box.x1));
  const y1 = Math.min(height - 1 - opts.border, Math.ceil(box.y1));
  if (x1 - x0 < 3 || y1 - y0 < 3) return [];
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  // Gradient products over the box plus 2 px, then 5x5 sums.
  const pad = 2;
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const xx = new Float32Array(pw * ph);
  const yy = new Float32Array(pw * ph);
  const xy = new Float32Array(pw * ph);
  for (let j = 0; j < ph; j += 1) {
    const y = Math.min(height - 2, Math.max(1, y0 - pad + j));
    for (let i = 0; i < pw; i += 1) {
      const x = Math.min(width - 2, Math.max(1, x0 - pad + i));
      const k = y * width + x;
      const gx = (data[k + 1]! - data[k - 1]!) * 0.5;
      const gy = (data[k + width]! - data[k - width]!) * 0.5;
      const o = j * pw + i;
      xx[o] = gx * gx;
      yy[o] = gy * gy;
      xy[o] = gx * gy;
    }
  }
  const score = new Float32Array(w * h);
  let best = 0;
  for (let j = 0; j < h; j += 1) {
    for (let i = 0; i < w; i += 1) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let dj = 0; dj < 5; dj += 1) {
        const row = (j + dj) * pw + i;
        for (let di = 0; di < 5; di += 1) {
          a += xx[row + di]!;
          b += xy[row + di]!;
          c += yy[row + di]!;
        }
      }
      const half = (a - c) * 0.5;
      const lambda = (a + c) * 0.5 - Math.sqrt(half * half + b * b);
      score[j * w + i] = lambda;
      if (lambda > best) best = lambda;
    }
  }
  if (best <= 0) return [];
  const floor = best * opts.quality;
  const candidates: { x: number; y: number; s: number }[] = [];
  for (let j = 1; j < h - 1; j += 1) {
    for (let i = 1; i < w - 1; i += 1) {
      const s = score[j * w + i]!;
      if (s < floor) continue;
      // Local maxima only, so a corner is one point, not a blob.
      let peak = true;
      for (let dj = -1; dj <= 1 && peak; dj += 1)
        for (let di = -1; di <= 1; di += 1) if ((di || dj) && score[(j + dj) * w + i + di]! > s) peak = false;
      if (peak && accept(x0 + i, y0 + j)) candidates.push({ x: x0 + i, y: y0 + j, s });
    }
  }
  candidates.sort((p, q) => q.s - p.s);
  const d2 = opts.minDistance * opts.minDistance;
  const kept: number[] = [];
  const near = (x: number, y: number, pts: ArrayLike<number>) => {
    for (let k = 0; k + 1 < pts.length; k += 2) {
      const dx = pts[k]! - x;
      const dy = pts[k + 1]! - y;
      if (dx * dx + dy * dy < d2) return true;
    }
    return false;
  };
  for (const c of candidates) {
    if (kept.length >= opts.max * 2) break;
    if (!near(c.x, c.y, kept) && !near(c.x, c.y, avoid)) kept.push(c.x, c.y);
  }
  return kept;
}
