import { sample, type Level } from './image.js';

export type LkOptions = {
  /** Half the window side: 5 means 11x11. */
  halfWindow: number;
  /** Iterations per level at most; a step under `epsilon` px ends them early. */
  iterations: number;
  epsilon: number;
  /** The template's smaller gradient eigenvalue per pixel below this: too flat to track. */
  minEigen: number;
  /** Mean absolute difference (gray levels) above this after convergence: the content changed (occluded). */
  maxResidual: number;
};

/** 2x2 matrix [m00, m01, m10, m11] taking a window offset in `next` to the offset in `prev`. */
export type Warp = readonly [number, number, number, number];
const NO_WARP: Warp = [1, 0, 0, 1];

// One set of buffers per window size, reused point after point (no garbage per point).
let buffers: { side: number; template: Float32Array; ix: Float32Array; iy: Float32Array } | null = null;
function scratch(side: number) {
  if (buffers?.side !== side) {
    const tside = side + 2;
    buffers = { side, template: new Float32Array(tside * tside), ix: new Float32Array(side * side), iy: new Float32Array(side * side) };
  }
  return buffers;
}

/**
 * Pyramidal Lucas–Kanade for one point: where the patch around `(fx, fy)` of `prev` is in `next`,
 * starting from the guess `(gx, gy)` (level-0 pixels). With a warp the template is sampled from
 * `prev` rotated and scaled, so a point can be found again in a frame where the object turned.
 * Returns the position, or null when the point is lost (flat, out of the frame, occluded).
 */
export function trackPoint(
  prev: readonly Level[],
  next: readonly Level[],
  fx: number,
  fy: number,
  gx: number,
  gy: number,
  opts: LkOptions,
  warp: Warp = NO_WARP,
): { x: number; y: number } | null {
  const h = opts.halfWindow;
  const side = 2 * h + 1;
  const tside = side + 2;
  const { template, ix, iy } = scratch(side);
  const top = Math.min(prev.length, next.length) - 1;
  let qx = gx / (1 << top);
  let qy = gy / (1 << top);
  let residual = 0;
  for (let l = top; l >= 0; l -= 1) {
    const scale = 1 / (1 << l);
    const p = prev[l]!;
    const n = next[l]!;
    const px = fx * scale;
    const py = fy * scale;
    // Template with a one-pixel rim, so its gradient needs no second image.
    for (let j = 0; j < tside; j += 1) {
      const dy = j - h - 1;
      for (let i = 0; i < tside; i += 1) {
        const dx = i - h - 1;
        template[j * tside + i] = sample(p, px + warp[0] * dx + warp[1] * dy, py + warp[2] * dx + warp[3] * dy);
      }
    }
    let gxx = 0;
    let gxy = 0;
    let gyy = 0;
    for (let j = 0; j < side; j += 1) {
      for (let i = 0; i < side; i += 1) {
        const t = (j + 1) * tside + i + 1;
        const dx = (template[t + 1]! - template[t - 1]!) * 0.5;
        const dy = (template[t + tside]! - template[t - tside]!) * 0.5;
        ix[j * side + i] = dx;
        iy[j * side + i] = dy;
        gxx += dx * dx;
        gxy += dx * dy;
        gyy += dy * dy;
      }
    }
    const det = gxx * gyy - gxy * gxy;
    const half = (gxx - gyy) * 0.5;
    const minEigen = ((gxx + gyy) * 0.5 - Math.sqrt(half * half + gxy * gxy)) / (side * side);
    if (minEigen < opts.minEigen || det < 1e-9) return null;
    for (let it = 0; it < opts.iterations; it += 1) {
      // The window shifts by whole pixels inside one sub-pixel phase: one set of bilinear weights
      // serves all of it, read straight from the image when it lies inside.
      const x0 = Math.floor(qx) - h;
      const y0 = Math.floor(qy) - h;
      const inside = x0 >= 0 && y0 >= 0 && x0 + side < n.width && y0 + side < n.height;
      const ax = qx - Math.floor(qx);
      const ay = qy - Math.floor(qy);
      const w00 = (1 - ax) * (1 - ay);
      const w01 = ax * (1 - ay);
      const w10 = (1 - ax) * ay;
      const w11 = ax * ay;
      const nd = n.data;
      const nw = n.width;
      const fast = (i: number, j: number) => {
        const k = (y0 + j) * nw + x0 + i;
        return nd[k]! * w00 + nd[k + 1]! * w01 + nd[k + nw]! * w10 + nd[k + nw + 1]! * w11;
      };
      let bx = 0;
      let by = 0;
      let abs = 0;
      for (let j = 0; j < side; j += 1) {
        for (let i = 0; i < side; i += 1) {
          const diff = (inside ? fast(i, j) : sample(n, qx + i - h, qy + j - h)) - template[(j + 1) * tside + i + 1]!;
          bx += diff * ix[j * side + i]!;
          by += diff * iy[j * side + i]!;
          abs += Math.abs(diff);
        }
      }
      residual = abs / (side * side);
      const sx = -(gyy * bx - gxy * by) / det;
      const sy = -(gxx * by - gxy * bx) / det;
      qx += sx;
      qy += sy;
      if (sx * sx + sy * sy < opts.epsilon * opts.epsilon) break;
    }
    if (l > 0) {
      qx *= 2;
      qy *= 2;
    }
  }
  const base = next[0]!;
  if (qx < h || qy < h || qx > base.width - 1 - h || qy > base.height - 1 - h) return null;
  if (residual > opts.maxResidual) return null;
  return { x: qx, y: qy };
}

/**
 * Tracks every point forward, then back from where it landed; a point whose round trip misses
 * its start by more than `maxFb` px is dropped (an occluded or ambiguous patch rarely comes back).
 * `out` gets the new positions; the returned flags say which points held.
 */
export function trackPointsChecked(
  prev: readonly Level[],
  next: readonly Level[],
  from: ArrayLike<number>,
  guess: ArrayLike<number>,
  use: ArrayLike<number>,
  out: Float32Array,
  opts: LkOptions & { maxFb: number },
  warp: Warp = NO_WARP,
  /** Where the way back starts: the prediction undone on the forward result (never the answer itself). */
  backGuess: (x: number, y: number) => { x: number; y: number } = (x, y) => ({ x, y }),
): Uint8Array {
  const n = from.length / 2;
  const ok = new Uint8Array(n);
  const det = warp[0] * warp[3] - warp[1] * warp[2];
  const back: Warp = [warp[3] / det, -warp[1] / det, -warp[2] / det, warp[0] / det];
  for (let k = 0; k < n; k += 1) {
    if (!use[k]) continue;
    const fx = from[2 * k]!;
    const fy = from[2 * k + 1]!;
    const fwd = trackPoint(prev, next, fx, fy, guess[2 * k]!, guess[2 * k + 1]!, opts, warp);
    if (!fwd) continue;
    const start = backGuess(fwd.x, fwd.y);
    const bwd = trackPoint(next, prev, fwd.x, fwd.y, start.x, start.y, opts, back);
    if (!bwd) continue;
    const ex = bwd.x - fx;
    const ey = bwd.y - fy;
    if (ex * ex + ey * ey > opts.maxFb * opts.maxFb) continue;
    out[2 * k] = fwd.x;
    out[2 * k + 1] = fwd.y;
    ok[k] = 1;
  }
  return ok;
}
