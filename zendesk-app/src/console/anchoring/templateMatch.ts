/**
 * The stand-in tracker's arithmetic, free of the Worker and the canvas so it runs in unit tests:
 * grey frames in, one translation per anchored region out.
 */
import type { AnchorUpdate, Region } from './engine';

export type GrayFrame = { data: Float32Array; width: number; height: number };

export type TrackerRequest =
  | { kind: 'anchor'; id: string; bitmap: ImageBitmap; region: Region; frameTime: number }
  | { kind: 'track'; seq: number; bitmap: ImageBitmap; frameTime: number }
  | { kind: 'drop'; id: string };
export type TrackerReply = { seq: number; updates: AnchorUpdate[] };

/** Below this correlation the region is not what was anchored any more. */
export const MIN_CONFIDENCE = 0.6;
/** How far (work pixels) from where the motion so far predicts the search looks. */
const SEARCH = 16;
/** Templates are subsampled to at most this many pixels a side: cost stays flat for big marks. */
const MAX_SIDE = 48;

type Anchor = {
  /** Template pixels minus their mean, sampled every `step` px from the anchored corner. */
  template: Float32Array;
  cols: number;
  rows: number;
  step: number;
  norm: number;
  /** Anchored top-left, and where it is now (work pixels). */
  x0: number;
  y0: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
  lost: boolean;
};

export class TemplateMatcher {
  private readonly anchors = new Map<string, Anchor>();

  anchor(id: string, frame: GrayFrame, region: Region, _frameTime: number): void {
    const w = Math.max(4, Math.round(region.width * frame.width));
    const h = Math.max(4, Math.round(region.height * frame.height));
    const x0 = clamp(Math.round(region.x * frame.width), 0, frame.width - w);
    const y0 = clamp(Math.round(region.y * frame.height), 0, frame.height - h);
    const step = Math.max(1, Math.ceil(Math.max(w, h) / MAX_SIDE));
    const cols = Math.floor((w - 1) / step) + 1;
    const rows = Math.floor((h - 1) / step) + 1;
    const template = new Float32Array(cols * rows);
    let sum = 0;
    for (let r = 0; r < rows; r += 1)
      for (let c = 0; c < cols; c += 1) {
        const v = frame.data[(y0 + r * step) * frame.width + x0 + c * step]!;
        template[r * cols + c] = v;
        sum += v;
      }
    const mean = sum / template.length;
    let norm = 0;
    for (let i = 0; i < template.length; i += 1) {
      template[i]! -= mean;
      norm += template[i]! * template[i]!;
    }
    this.anchors.set(id, { template, cols, rows, step, norm: Math.sqrt(norm), x0, y0, x: x0, y: y0, vx: 0, vy: 0, lost: false });
  }

  drop(id: string): void {
    this.anchors.delete(id);
  }

  track(frame: GrayFrame, frameTime: number): AnchorUpdate[] {
    const updates: AnchorUpdate[] = [];
    for (const [id, a] of this.anchors) {
      if (a.lost) continue;
      const found = this.search(a, frame);
      const lost = found.score < MIN_CONFIDENCE || a.norm < 1e-3;
      if (!lost) {
        a.vx = found.x - a.x;
        a.vy = found.y - a.y;
        a.x = found.x;
        a.y = found.y;
      }
      a.lost = lost;
      updates.push({
        id,
        frameTime,
        transform: { a: 1, b: 0, tx: (a.x - a.x0) / frame.width, ty: (a.y - a.y0) / frame.height },
        confidence: Math.max(0, found.score),
        lost,
      });
    }
    return updates;
  }

  /** Best correlation around the predicted place, refined to a fraction of a pixel. */
  private search(a: Anchor, frame: GrayFrame): { x: number; y: number; score: number } {
    const spanX = (a.cols - 1) * a.step;
    const spanY = (a.rows - 1) * a.step;
    const cx = Math.round(a.x + a.vx);
    const cy = Math.round(a.y + a.vy);
    const size = 2 * SEARCH + 1;
    const scores = new Float32Array(size * size).fill(-1);
    let best = -2;
    let bx = cx;
    let by = cy;
    for (let dy = -SEARCH; dy <= SEARCH; dy += 1) {
      const y = cy + dy;
      if (y < 0 || y + spanY >= frame.height) continue;
      for (let dx = -SEARCH; dx <= SEARCH; dx += 1) {
        const x = cx + dx;
        if (x < 0 || x + spanX >= frame.width) continue;
        const s = this.correlate(a, frame, x, y);
        scores[(dy + SEARCH) * size + dx + SEARCH] = s;
        if (s > best) {
          best = s;
          bx = x;
          by = y;
        }
      }
    }
    const at = (x: number, y: number) => scores[(y - cy + SEARCH) * size + x - cx + SEARCH] ?? -1;
    const inside = (x: number, y: number) => Math.abs(x - cx) <= SEARCH && Math.abs(y - cy) <= SEARCH;
    const refine = (minus: number, mid: number, plus: number) => {
      const denom = minus - 2 * mid + plus;
      return denom < 0 ? clamp((minus - plus) / (2 * denom), -0.5, 0.5) : 0;
    };
    const fx = inside(bx - 1, by) && inside(bx + 1, by) ? refine(at(bx - 1, by), best, at(bx + 1, by)) : 0;
    const fy = inside(bx, by - 1) && inside(bx, by + 1) ? refine(at(bx, by - 1), best, at(bx, by + 1)) : 0;
    return { x: bx + fx, y: by + fy, score: best };
  }

  private correlate(a: Anchor, frame: GrayFrame, x: number, y: number): number {
    const { template, cols, rows, step } = a;
    let sum = 0;
    let sumSq = 0;
    let cross = 0;
    for (let r = 0; r < rows; r += 1) {
      const row = (y + r * step) * frame.width + x;
      for (let c = 0; c < cols; c += 1) {
        const v = frame.data[row + c * step]!;
        sum += v;
        sumSq += v * v;
        cross += v * template[r * cols + c]!;
      }
    }
    const n = cols * rows;
    const variance = sumSq - (sum * sum) / n;
    // The template is zero-mean, so the patch's mean drops out of the cross term.
    return variance > 1e-6 ? cross / (Math.sqrt(variance) * a.norm) : 0;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
