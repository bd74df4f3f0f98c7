import { detectCorners, type Box } from './corners.js';
import { buildPyramid, type Level } from './image.js';
import { trackPointsChecked, type LkOptions, type Warp } from './lk.js';
import { mulberry32, ransacSimilarity } from './ransac.js';
import { searchShift } from './search.js';
import { IDENTITY, invertSimilarity, type AnchorUpdate, type Point, type Region, type Similarity } from './types.js';

export type TrackerOptions = LkOptions & {
  /** Pyramid levels (3 at 320 px wide follows ~10 px/frame). */
  levels: number;
  /** Forward–backward round trip allowed, px. */
  maxFb: number;
  /** Corners seeded per anchor, their spacing (px) and weakest share of the strongest. */
  maxCorners: number;
  minDistance: number;
  quality: number;
  /** Share of the region's side kept clear of corners: its edge may be background. */
  margin: number;
  /** RANSAC inlier distance (px) and samples. */
  inlierPx: number;
  ransacIterations: number;
  /** Lost below this many agreeing points, this share of them, or this share of the region in the frame. */
  minInliers: number;
  minConfidence: number;
  minVisible: number;
  /** Seed new corners when the live points fall below this share of the first seeding. */
  reseedBelow: number;
  /** Every this many frames, find the points again against the anchor frame itself: no drift. */
  refineEvery: number;
  /** For this long after a loss, look for the anchor frame's points again around the last place (s). */
  recoverSeconds: number;
  /** Share of the first seeding that must be found again to come back from a loss. */
  recoverShare: number;
  /** How far (px) the region's picture is looked for when its points do not hold: a jump between two tracked frames. */
  searchRadius: number;
};

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  levels: 3,
  halfWindow: 5,
  iterations: 20,
  epsilon: 0.02,
  minEigen: 1,
  maxResidual: 24,
  maxFb: 1,
  maxCorners: 60,
  minDistance: 5,
  quality: 0.02,
  margin: 0.08,
  inlierPx: 2,
  ransacIterations: 80,
  minInliers: 6,
  minConfidence: 0.25,
  minVisible: 0.4,
  reseedBelow: 0.5,
  refineEvery: 5,
  recoverSeconds: 1,
  recoverShare: 0.4,
  searchRadius: 64,
};

type Anchor = {
  id: string;
  /** The anchor frame and the region on it, in px of the tracking size. */
  keyPyr: Level[];
  box: Box;
  /** Per point: its place on the anchor frame, its place on the last frame, whether it is live. */
  key: Float32Array;
  cur: Float32Array;
  alive: Uint8Array;
  seeded: number;
  prevPyr: Level[];
  /** Anchor frame → last frame, px. */
  model: Similarity;
  frameTime: number;
  frames: number;
  confidence: number;
  /** How fast the region's centre moved over the last frames (px/s): where to look first on the next. */
  velocity: Point;
  lost: boolean;
  /** When tracking was lost (frame time), while a recovery may still find it. */
  lostAt: number | null;
};

const centreOf = (b: Box): Point => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });
const apply = (m: Similarity, x: number, y: number) => ({ x: m.a * x - m.b * y + m.tx, y: m.b * x + m.a * y + m.ty });

/**
 * Keeps image regions anchored across frames of one fixed size (gray, e.g. 320x180): corners in
 * the region, tracked frame to frame with pyramidal Lucas–Kanade (forward–backward checked),
 * a RANSAC similarity from the anchor frame's points to the tracked ones, and every few frames
 * the points found again against the anchor frame itself so errors do not add up. Pure and
 * synchronous: the worker runs it, and so do the tests and the offline bench.
 */
export class AnchorTracker {
  readonly width: number;
  readonly height: number;
  private readonly opts: TrackerOptions;
  private readonly anchors = new Map<string, Anchor>();
  private latest: { pyr: Level[]; time: number } | null = null;
  private readonly random = mulberry32(0x5eed);

  constructor(width: number, height: number, options: Partial<TrackerOptions> = {}) {
    this.width = width;
    this.height = height;
    this.opts = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  get ids(): string[] {
    return [...this.anchors.keys()];
  }

  /** Anchors `region` (normalised) on `frame` (gray, width*height); replaces an anchor of that id. */
  anchor(id: string, frame: ArrayLike<number>, region: Region, frameTime: number): AnchorUpdate {
    const pyr = this.pyramid(frame);
    if (!this.latest || frameTime >= this.latest.time) this.latest = { pyr, time: frameTime };
    return this.seed(id, pyr, region, frameTime);
  }

  /** Anchors `region` again on the newest frame seen (the specialist pins a faded mark). */
  pin(id: string, region: Region): AnchorUpdate | null {
    if (!this.latest) return null;
    return this.seed(id, this.latest.pyr, region, this.latest.time);
  }

  drop(id: string): void {
    this.anchors.delete(id);
  }

  /** One update per anchor for this frame. */
  track(frame: ArrayLike<number>, frameTime: number): AnchorUpdate[] {
    const pyr = this.pyramid(frame);
    if (!this.latest || frameTime >= this.latest.time) this.latest = { pyr, time: frameTime };
    return [...this.anchors.values()].map((a) => this.step(a, pyr, frameTime));
  }

  private pyramid(frame: ArrayLike<number>): Level[] {
    if (frame.length !== this.width * this.height) throw new Error(`expected a ${this.width}x${this.height} gray frame`);
    return buildPyramid(frame, this.width, this.height, this.opts.levels);
  }

  private seed(id: string, pyr: Level[], region: Region, frameTime: number): AnchorUpdate {
    // Pixel indices: pixel i covers i..i+1 of the continuous frame, its centre at i + 0.5.
    const box = {
      x0: region.x * this.width - 0.5,
      y0: region.y * this.height - 0.5,
      x1: (region.x + region.width) * this.width - 0.5,
      y1: (region.y + region.height) * this.height - 0.5,
    };
    const pts = detectCorners(pyr[0]!, this.inner(box), this.cornerOptions());
    const key = Float32Array.from(pts);
    const a: Anchor = {
      id,
      keyPyr: pyr,
      box,
      key,
      cur: Float32Array.from(pts),
      alive: new Uint8Array(pts.length / 2).fill(1),
      seeded: pts.length / 2,
      prevPyr: pyr,
      model: { ...IDENTITY },
      frameTime,
      frames: 0,
      confidence: 1,
      velocity: { x: 0, y: 0 },
      lost: pts.length / 2 < this.opts.minInliers,
      lostAt: null,
    };
    this.anchors.set(id, a);
    return this.update(a);
  }

  private inner(box: Box): Box {
    const mx = (box.x1 - box.x0) * this.opts.margin;
    const my = (box.y1 - box.y0) * this.opts.margin;
    return { x0: box.x0 + mx, y0: box.y0 + my, x1: box.x1 - mx, y1: box.y1 - my };
  }

  private cornerOptions() {
    const o = this.opts;
    return { max: o.maxCorners, minDistance: o.minDistance, quality: o.quality, border: o.halfWindow + 2 };
  }

  private update(a: Anchor): AnchorUpdate {
    const m = a.model;
    // Pixel indices → continuous pixels (origin at the frame's corner, half a pixel off) → width
    // units (see Similarity): only the translation changes.
    const tx = m.tx + 0.5 - (m.a * 0.5 - m.b * 0.5);
    const ty = m.ty + 0.5 - (m.b * 0.5 + m.a * 0.5);
    return {
      id: a.id,
      frameTime: a.frameTime,
      transform: { a: m.a, b: m.b, tx: tx / this.width, ty: ty / this.width },
      confidence: a.confidence,
      lost: a.lost,
    };
  }

  private step(a: Anchor, pyr: Level[], frameTime: number): AnchorUpdate {
    if (frameTime <= a.frameTime) return this.update(a);
    const o = this.opts;
    if (a.lost) {
      if (a.lostAt !== null && frameTime - a.lostAt <= o.recoverSeconds) this.recover(a, pyr, frameTime);
      // Lost or found, the verdict is this frame's.
      a.frameTime = frameTime;
      return this.update(a);
    }
    const ransac = { threshold: o.inlierPx, iterations: o.ransacIterations, random: this.random };
    // First where the object would be had it kept its speed; where its points do not hold there,
    // where its picture is found (a page that tracked few frames sees it jump further than LK follows).
    const dt = frameTime - a.frameTime;
    let move = this.follow(a, pyr, { x: a.velocity.x * dt, y: a.velocity.y * dt }, ransac);
    if (!this.holds(move)) {
      const found = this.search(a.prevPyr, this.shownBox(a), pyr, { x: 0, y: 0 }, o.searchRadius);
      const again = found && this.follow(a, pyr, found, ransac);
      if (again && (again.fit?.count ?? 0) > (move.fit?.count ?? 0)) move = again;
    }
    const { next } = move;
    let { fit, tried } = move;
    a.frames += 1;
    if (fit && a.frames % o.refineEvery === 0) {
      const refined = this.refine(a, pyr, fit.model);
      if (refined && refined.fit.count >= Math.max(o.minInliers, fit.count * 0.5)) {
        fit = refined.fit;
        next.set(refined.at);
        tried = Math.max(refined.tried, fit.count);
      }
    }
    a.prevPyr = pyr;
    a.frameTime = frameTime;
    if (!fit) {
      a.lost = true;
      a.lostAt = frameTime;
      a.confidence = 0;
      a.velocity = { x: 0, y: 0 };
      // Looked for at once: a jump past the search above is often the object still in view.
      this.recover(a, pyr, frameTime);
      return this.update(a);
    }
    if (dt > 0) {
      const c = centreOf(a.box);
      const was = apply(a.model, c.x, c.y);
      const now = apply(fit.model, c.x, c.y);
      // Half the last frame's own speed, half what came before: one jerk does not throw the next guess far.
      a.velocity = { x: (a.velocity.x + (now.x - was.x) / dt) / 2, y: (a.velocity.y + (now.y - was.y) / dt) / 2 };
    }
    a.model = fit.model;
    a.cur = next;
    a.alive = fit.inliers;
    a.confidence = tried > 0 ? Math.min(1, fit.count / tried) : 0;
    const scale = Math.hypot(fit.model.a, fit.model.b);
    a.lost = !this.holds({ fit, tried }) || scale < 0.25 || scale > 4 || this.visible(a) < o.minVisible;
    if (a.lost) {
      a.lostAt = frameTime;
      a.velocity = { x: 0, y: 0 };
      this.recover(a, pyr, frameTime);
    } else if (fit.count < Math.max(2 * o.minInliers, a.seeded * o.reseedBelow)) this.reseed(a, pyr);
    return this.update(a);
  }

  /** The live points tracked from the last frame to this one, starting `shift` px from where they were. */
  private follow(a: Anchor, pyr: Level[], shift: Point, ransac: Parameters<typeof ransacSimilarity>[3]) {
    const n = a.alive.length;
    const guess = new Float32Array(2 * n);
    let tried = 0;
    for (let k = 0; k < n; k += 1) {
      tried += a.alive[k]!;
      guess[2 * k] = a.cur[2 * k]! + shift.x;
      guess[2 * k + 1] = a.cur[2 * k + 1]! + shift.y;
    }
    const next = new Float32Array(2 * n);
    const back = (x: number, y: number) => ({ x: x - shift.x, y: y - shift.y });
    const ok = trackPointsChecked(a.prevPyr, pyr, a.cur, guess, a.alive, next, { ...this.opts }, undefined, back);
    return { next, fit: ransacSimilarity(a.key, next, ok, ransac), tried };
  }

  /** Enough points agree, and enough of those tried (the confidence): what a step needs not to be lost. */
  private holds({ fit, tried }: { fit: { count: number } | null; tried: number }): boolean {
    return fit !== null && fit.count >= this.opts.minInliers && fit.count >= tried * this.opts.minConfidence;
  }

  /** Where the region's inner part is on the last frame, as an upright box (px). */
  private shownBox(a: Anchor): Box {
    const inner = this.inner(a.box);
    const corners = [apply(a.model, inner.x0, inner.y0), apply(a.model, inner.x1, inner.y0), apply(a.model, inner.x0, inner.y1)];
    corners.push(apply(a.model, inner.x1, inner.y1));
    return {
      x0: Math.min(...corners.map((c) => c.x)),
      y0: Math.min(...corners.map((c) => c.y)),
      x1: Math.max(...corners.map((c) => c.x)),
      y1: Math.max(...corners.map((c) => c.y)),
    };
  }

  /** The shift (px) that lays `box` of `from` best on `to`, looked for on the coarsest level within `radius` px of `around`. */
  private search(from: Level[], box: Box, to: Level[], around: Point, radius: number): Point | null {
    const top = Math.min(from.length, to.length) - 1;
    const f = 2 ** top;
    const scaled = { x0: box.x0 / f, y0: box.y0 / f, x1: box.x1 / f, y1: box.y1 / f };
    const found = searchShift(from[top]!, scaled, to[top]!, { x: around.x / f, y: around.y / f }, Math.ceil(radius / f));
    return found && { x: found.x * f, y: found.y * f };
  }

  /**
   * Shortly after a loss (a hand over the object, a blurred jerk), the anchor frame's points are
   * searched for around where the region was last; enough of them found again, in the frame,
   * brings the mark back without a pin.
   */
  private recover(a: Anchor, pyr: Level[], frameTime: number): void {
    const o = this.opts;
    let refined = this.refine(a, pyr, a.model);
    if (!refined || refined.fit.count < Math.max(2 * o.minInliers, a.seeded * o.recoverShare)) {
      // It moved on while it was hidden, or further than a page that tracked few frames could
      // follow: the anchor frame's picture of it is looked for in the whole frame (cheap on the
      // coarsest level); what it finds is only a start, the anchor frame's points must hold there.
      const c = centreOf(a.box);
      const last = apply(a.model, c.x, c.y);
      const found = this.search(a.keyPyr, this.inner(a.box), pyr, { x: 0, y: 0 }, Math.max(this.width, this.height));
      const moved = found && { ...a.model, tx: a.model.tx + c.x + found.x - last.x, ty: a.model.ty + c.y + found.y - last.y };
      const again = moved && this.refine(a, pyr, moved);
      if (again && again.fit.count > (refined?.fit.count ?? 0)) refined = again;
    }
    if (!refined) return;
    const { fit, at } = refined;
    const previous = a.model;
    a.model = fit.model;
    const scale = Math.hypot(fit.model.a, fit.model.b);
    const found = fit.count >= Math.max(2 * o.minInliers, a.seeded * o.recoverShare) && scale > 0.25 && scale < 4;
    if (!found || this.visible(a) < o.minVisible) {
      a.model = previous;
      return;
    }
    a.cur = at;
    a.alive = fit.inliers;
    a.prevPyr = pyr;
    a.frameTime = frameTime;
    a.confidence = Math.min(1, fit.count / Math.max(1, refined.tried));
    a.lost = false;
    a.lostAt = null;
  }

  /** Every point of the anchor frame found again in this frame, the template turned and scaled by `model`. */
  private refine(a: Anchor, pyr: Level[], model: Similarity) {
    const n = a.alive.length;
    const guess = new Float32Array(2 * n);
    const use = new Uint8Array(n);
    let tried = 0;
    for (let k = 0; k < n; k += 1) {
      const p = apply(model, a.key[2 * k]!, a.key[2 * k + 1]!);
      guess[2 * k] = p.x;
      guess[2 * k + 1] = p.y;
      if (p.x > 0 && p.y > 0 && p.x < this.width - 1 && p.y < this.height - 1) {
        use[k] = 1;
        tried += 1;
      }
    }
    const d = model.a * model.a + model.b * model.b;
    // Offsets in this frame → offsets in the anchor frame: the model's linear part inverted.
    const warp: Warp = [model.a / d, model.b / d, -model.b / d, model.a / d];
    const inverse = invertSimilarity(model);
    const at = new Float32Array(2 * n);
    const ok = trackPointsChecked(a.keyPyr, pyr, a.key, guess, use, at, { ...this.opts }, warp, (x, y) => apply(inverse, x, y));
    const o = this.opts;
    const fit = ransacSimilarity(a.key, at, ok, { threshold: o.inlierPx, iterations: o.ransacIterations, random: this.random });
    return fit ? { fit, at, tried } : null;
  }

  /** Share of the region (a 5x5 grid over it) that is inside the frame. */
  private visible(a: Anchor): number {
    let inside = 0;
    for (let j = 0; j < 5; j += 1) {
      for (let i = 0; i < 5; i += 1) {
        const p = apply(a.model, a.box.x0 + ((a.box.x1 - a.box.x0) * (i + 0.5)) / 5, a.box.y0 + ((a.box.y1 - a.box.y0) * (j + 0.5)) / 5);
        if (p.x >= 0 && p.y >= 0 && p.x < this.width && p.y < this.height) inside += 1;
      }
    }
    return inside / 25;
  }

  /** New corners where the region is now, their anchor-frame places through the inverse model. */
  private reseed(a: Anchor, pyr: Level[]): void {
    const inner = this.inner(a.box);
    const box = this.shownBox(a);
    const inverse = invertSimilarity(a.model);
    const inside = (x: number, y: number) => {
      const k = apply(inverse, x, y);
      return k.x >= inner.x0 && k.x <= inner.x1 && k.y >= inner.y0 && k.y <= inner.y1;
    };
    const live: number[] = [];
    const keep: number[] = [];
    for (let k = 0; k < a.alive.length; k += 1) {
      if (!a.alive[k]) continue;
      live.push(a.cur[2 * k]!, a.cur[2 * k + 1]!);
      keep.push(k);
    }
    const fresh = detectCorners(pyr[0]!, box, { ...this.cornerOptions(), max: this.opts.maxCorners - keep.length }, inside, live);
    // Dead points go: the refinement against the anchor frame found them no more either.
    const total = keep.length + fresh.length / 2;
    const key = new Float32Array(2 * total);
    const cur = new Float32Array(2 * total);
    keep.forEach((k, i) => {
      key[2 * i] = a.key[2 * k]!;
      key[2 * i + 1] = a.key[2 * k + 1]!;
      cur[2 * i] = a.cur[2 * k]!;
      cur[2 * i + 1] = a.cur[2 * k + 1]!;
    });
    for (let f = 0; f < fresh.length; f += 2) {
      const i = keep.length + f / 2;
      const p = apply(inverse, fresh[f]!, fresh[f + 1]!);
      key[2 * i] = p.x;
      key[2 * i + 1] = p.y;
      cur[2 * i] = fresh[f]!;
      cur[2 * i + 1] = fresh[f + 1]!;
    }
    a.key = key;
    a.cur = cur;
    a.alive = new Uint8Array(total).fill(1);
  }
}
