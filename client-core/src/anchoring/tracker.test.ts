import { describe, expect, it } from 'vitest';
import { movingObjectScene, type ObjectPose } from '../../../tests/support/moving-object.js';
import { AnchorTracker } from './tracker.js';
import { applySimilarity, type AnchorUpdate } from './types.js';

const W = 320;
const H = 180;
const FPS = 30;
const ASPECT = W / H;

/** A circle of radius `r` px run at 4 px per frame, plus whatever turn and scale `extra` adds. */
function circling(r: number, extra: (f: number) => Partial<ObjectPose> = () => ({})) {
  return (t: number): ObjectPose => {
    const f = Math.round(t * FPS);
    const theta = (4 / r) * f;
    return { cx: 0.5 + (r / W) * (Math.cos(theta) - 1), cy: 0.5 + (r / H) * Math.sin(theta), angle: 0, scale: 1, ...extra(f) };
  };
}

/** Tracks the scene's object from frame 0 and returns the centre's error (% of width) per frame. */
function run(pose: (t: number) => ObjectPose, frames: number, seed = 7) {
  const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: frames / FPS, seed, pose, objectWidth: 0.3 });
  const tracker = new AnchorTracker(W, H);
  const region = scene.startRegion();
  const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
  tracker.anchor('m', scene.luma(0), region, 0);
  const errors: number[] = [];
  const updates: AnchorUpdate[] = [];
  for (let f = 1; f < frames; f += 1) {
    const [u] = tracker.track(scene.luma(f), f / FPS);
    updates.push(u!);
    const truth = scene.truth(f);
    const p = applySimilarity(u!.transform, centre, ASPECT);
    errors.push(100 * Math.hypot(p.x - truth.cx, (p.y - truth.cy) / ASPECT));
  }
  return { errors, updates, scene, tracker, region };
}

/**
 * Tracks the scene's object from frame 0 to `frames` while a hand (a flat gray box, px) covers
 * frames `from`..`to` - 1; returns each frame's lost flag and the last frame's centre error (share of width).
 */
function covered(
  pose: (t: number) => ObjectPose,
  frames: number,
  hand: { from: number; to: number; box: [number, number, number, number] },
) {
  const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 2, seed: 13, pose, objectWidth: 0.3 });
  const tracker = new AnchorTracker(W, H);
  const region = scene.startRegion();
  const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
  tracker.anchor('m', scene.luma(0), region, 0);
  const [x0, y0, x1, y1] = hand.box;
  const lost: boolean[] = [];
  let last: AnchorUpdate | undefined;
  for (let f = 1; f <= frames; f += 1) {
    const luma = scene.luma(f);
    if (f >= hand.from && f < hand.to) for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) luma[y * W + x] = 170;
    [last] = tracker.track(luma, f / FPS);
    lost.push(last!.lost);
  }
  const error = Math.abs(applySimilarity(last!.transform, centre, ASPECT).x - scene.truth(frames).cx);
  return { lost, error };
}

describe('AnchorTracker', () => {
  it('follows a translating object at 4 px/frame within 1 % of the frame width for 60 frames', () => {
    const { errors, updates } = run(circling(40), 61);
    expect(updates.every((u) => !u.lost)).toBe(true);
    expect(Math.max(...errors)).toBeLessThan(1);
    // The object went round, up to 80 px from where it started: tracking, not standing still.
    expect(Math.max(...updates.map((u) => Math.abs(u.transform.tx)))).toBeGreaterThan(60 / W);
  });

  it('follows it turning by up to 20° and scaling 0.8–1.2 while it moves', () => {
    const extra = (f: number) => ({ angle: 0.35 * Math.sin(f / 9), scale: 1 + 0.2 * Math.sin(f / 12) });
    const { errors, updates } = run(circling(40, extra), 61, 11);
    expect(updates.every((u) => !u.lost)).toBe(true);
    expect(Math.max(...errors)).toBeLessThan(1);
    // Rotation and scale are reported, not only the centre.
    const last = updates.at(-1)!.transform;
    expect(Math.atan2(last.b, last.a)).toBeCloseTo(0.35 * Math.sin(60 / 9), 1);
    expect(Math.hypot(last.a, last.b)).toBeCloseTo(1 + 0.2 * Math.sin(60 / 12), 1);
  });

  it('holds on while a hand covers a third of the object', () => {
    const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 2, seed: 9, pose: circling(40), objectWidth: 0.3 });
    const tracker = new AnchorTracker(W, H);
    const region = scene.startRegion();
    const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
    tracker.anchor('m', scene.luma(0), region, 0);
    let worst = 0;
    let lowest = 1;
    for (let f = 1; f <= 60; f += 1) {
      const luma = scene.luma(f);
      if (f >= 15 && f < 45) {
        // A skin-toned block over the object's left third, where the object is now.
        const t = scene.truth(f);
        const x0 = Math.round((t.cx - region.width / 2) * W) - 4;
        const x1 = Math.round((t.cx - region.width / 6) * W);
        for (let y = 0; y < H; y += 1) for (let x = Math.max(0, x0); x < x1; x += 1) luma[y * W + x] = 170;
      }
      const [u] = tracker.track(luma, f / FPS);
      expect(u!.lost, `frame ${f}`).toBe(false);
      lowest = Math.min(lowest, u!.confidence);
      const p = applySimilarity(u!.transform, centre, ASPECT);
      const truth = scene.truth(f);
      worst = Math.max(worst, 100 * Math.hypot(p.x - truth.cx, (p.y - truth.cy) / ASPECT));
    }
    expect(worst).toBeLessThan(1);
    // The covered points were noticed (confidence dipped), not silently dragged along.
    expect(lowest).toBeLessThan(0.9);
  });

  it('fades while the object is covered whole and comes back by itself when it is uncovered within a second', () => {
    const slow = (t: number): ObjectPose => ({ cx: 0.45 + (1 / W) * Math.round(t * FPS), cy: 0.5, angle: 0, scale: 1 });
    // Frames 10–19: a hand over the whole object.
    const { lost, error } = covered(slow, 40, { from: 10, to: 20, box: [80, 30, 260, 150] });
    expect(lost.slice(0, 9).some(Boolean)).toBe(false);
    expect(lost.slice(9, 19).some(Boolean)).toBe(true);
    expect(lost.slice(25).some(Boolean)).toBe(false);
    expect(error).toBeLessThan(0.01);
  });

  it('follows an object it sees only every twelfth frame (36 px apart), as a starved console does', () => {
    const steady = (t: number): ObjectPose => ({
      cx: 0.25 + (3 / W) * Math.round(t * FPS),
      cy: 0.5 + 0.05 * Math.sin(t),
      angle: 0,
      scale: 1,
    });
    const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 2, seed: 7, pose: steady, objectWidth: 0.3 });
    const tracker = new AnchorTracker(W, H);
    const region = scene.startRegion();
    const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
    tracker.anchor('m', scene.luma(0), region, 0);
    // The first look is the hardest: nothing yet says how fast it moves.
    for (let f = 12; f < 60; f += 12) {
      const [u] = tracker.track(scene.luma(f), f / FPS);
      expect(u!.lost, `frame ${f}`).toBe(false);
      const p = applySimilarity(u!.transform, centre, ASPECT);
      expect(Math.abs(p.x - scene.truth(f).cx), `frame ${f}`).toBeLessThan(0.01);
    }
  });

  it('after a second it saw nothing of (a console starting its tracker under load), finds the object 90 px on at once', () => {
    const steady = (t: number): ObjectPose => ({ cx: 0.2 + (3 / W) * Math.round(t * FPS), cy: 0.5, angle: 0, scale: 1 });
    const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 2, seed: 5, pose: steady, objectWidth: 0.3 });
    const tracker = new AnchorTracker(W, H);
    const region = scene.startRegion();
    const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
    tracker.anchor('m', scene.luma(0), region, 0);
    for (const f of [1, 31, 32]) {
      const [u] = tracker.track(scene.luma(f), f / FPS);
      expect(u!.lost, `frame ${f}`).toBe(false);
      expect(Math.abs(applySimilarity(u!.transform, centre, ASPECT).x - scene.truth(f).cx), `frame ${f}`).toBeLessThan(0.01);
    }
  });

  it('finds the object again when it moved on (45 px) while a hand covered it', () => {
    const steady = (t: number): ObjectPose => ({ cx: 0.3 + (3 / W) * Math.round(t * FPS), cy: 0.5, angle: 0, scale: 1 });
    // Frames 5–19: a hand over everything the object crosses.
    const { lost, error } = covered(steady, 30, { from: 5, to: 20, box: [30, 20, 300, 160] });
    expect(lost.slice(5, 19).some(Boolean)).toBe(true);
    expect(lost.slice(21)).toEqual(Array.from({ length: 9 }, () => false));
    expect(error).toBeLessThan(0.01);
  });

  it('reports the anchor lost once the object leaves the frame, not before', () => {
    const leaving = (t: number): ObjectPose => ({ cx: 0.5 + (4 / W) * Math.round(t * FPS), cy: 0.5, angle: 0, scale: 1 });
    const { updates, scene } = run(leaving, 60);
    const firstLost = updates.findIndex((u) => u.lost) + 1;
    const firstGone = Array.from({ length: 60 }, (_, f) => f).find((f) => !scene.truth(f).visible)!;
    expect(firstLost).toBeGreaterThan(0);
    // Shown while over half of it is in view; lost within a few frames of it going.
    expect(firstLost).toBeGreaterThanOrEqual(firstGone - 2);
    expect(firstLost).toBeLessThanOrEqual(firstGone + 8);
    expect(updates.slice(firstLost).every((u) => u.lost)).toBe(true);
  });

  it('tracks again after the specialist pins a lost mark', () => {
    const outAndBack = (t: number): ObjectPose => {
      const f = Math.round(t * FPS);
      // Out through the right side by frame 50 (centre 200 px right of the middle), out of view for
      // over a second (longer than a recovery looks), then back.
      const dx = f < 50 ? 4 * f : f < 90 ? 200 : 200 - 4 * (f - 90);
      return { cx: 0.5 + dx / W, cy: 0.5, angle: 0, scale: 1 };
    };
    const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 6, seed: 5, pose: outAndBack, objectWidth: 0.3 });
    const tracker = new AnchorTracker(W, H);
    tracker.anchor('m', scene.luma(0), scene.startRegion(), 0);
    let last: AnchorUpdate | undefined;
    for (let f = 1; f <= 140; f += 1) [last] = tracker.track(scene.luma(f), f / FPS);
    // Lost while out, and it stays lost when the object comes back: only a pin anchors it again.
    expect(last!.lost).toBe(true);
    // Back at the start: pinned on the current frame, then followed again.
    const truth = scene.truth(140);
    const region = { x: truth.cx - 0.15, y: truth.cy - (0.3 * 0.7 * ASPECT) / 2, width: 0.3, height: 0.3 * 0.7 * ASPECT };
    const pinned = tracker.pin('m', region)!;
    expect(pinned.lost).toBe(false);
    for (let f = 141; f <= 155; f += 1) [last] = tracker.track(scene.luma(f), f / FPS);
    expect(last!.lost).toBe(false);
    const centre = applySimilarity(last!.transform, { x: region.x + 0.15, y: region.y + region.height / 2 }, ASPECT);
    expect(Math.abs(centre.x - scene.truth(155).cx)).toBeLessThan(0.01);
    expect(scene.truth(155).cx).toBeLessThan(truth.cx - 0.1);
  });

  it('keeps separate anchors apart and forgets a dropped one', () => {
    const scene = movingObjectScene({ width: W, height: H, fps: FPS, seconds: 1, seed: 3, pose: circling(40), objectWidth: 0.3 });
    const tracker = new AnchorTracker(W, H);
    const r = scene.startRegion();
    tracker.anchor('left', scene.luma(0), { ...r, width: r.width / 2 }, 0);
    tracker.anchor('right', scene.luma(0), { ...r, x: r.x + r.width / 2, width: r.width / 2 }, 0);
    const both = tracker.track(scene.luma(1), 1 / FPS);
    expect(both.map((u) => u.id)).toEqual(['left', 'right']);
    tracker.drop('left');
    expect(tracker.track(scene.luma(2), 2 / FPS).map((u) => u.id)).toEqual(['right']);
  });

  it('refuses a frame of the wrong size', () => {
    const tracker = new AnchorTracker(W, H);
    expect(() => tracker.track(new Uint8Array(10), 0)).toThrow(/320x180/);
  });
});
