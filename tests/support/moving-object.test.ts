import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SPEED, movingObjectScene, readY4mLuma, writeMovingObjectY4m } from './moving-object.js';

const dir = mkdtempSync(join(tmpdir(), 'moving-object-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spread(luma: Uint8Array, width: number, cx: number, cy: number, r: number): number {
  const values: number[] = [];
  for (let y = Math.round(cy - r); y < cy + r; y += 1)
    for (let x = Math.round(cx - r); x < cx + r; x += 1) values.push(luma[y * width + x]!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('moving object test video', () => {
  const scene = movingObjectScene({ seed: 4 });
  const truths = Array.from({ length: scene.frames }, (_, f) => scene.truth(f));
  const aspect = scene.width / scene.height;

  it('moves up to 20 % of the frame width per second, turns up to ±20° and scales 0.8–1.2', () => {
    const speeds = truths.slice(1).map((t, f) => Math.hypot(t.cx - truths[f]!.cx, (t.cy - truths[f]!.cy) / aspect) * scene.fps);
    expect(Math.max(...speeds)).toBeLessThanOrEqual(MAX_SPEED + 1e-9);
    expect(Math.max(...speeds)).toBeGreaterThan(0.15);
    const degrees = truths.map((t) => (t.angle * 180) / Math.PI);
    expect(Math.max(...degrees.map(Math.abs))).toBeLessThanOrEqual(20);
    expect(Math.max(...degrees)).toBeGreaterThan(15);
    expect(Math.min(...degrees)).toBeLessThan(-15);
    expect(Math.min(...truths.map((t) => t.scale))).toBeLessThan(0.85);
    expect(Math.max(...truths.map((t) => t.scale))).toBeGreaterThan(1.15);
    expect(Math.min(...truths.map((t) => t.scale))).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps the object in view until the last seconds, then it leaves', () => {
    const lastVisible = truths.findLastIndex((t) => t.visible);
    expect(truths.slice(0, lastVisible + 1).every((t) => t.visible)).toBe(true);
    expect(lastVisible).toBeGreaterThan(scene.frames - 3 * scene.fps);
    expect(lastVisible).toBeLessThan(scene.frames - 10);
  });

  it('draws the textured object where the truth puts it, on a quieter background', () => {
    const f = 200;
    const t = scene.truth(f);
    const luma = scene.luma(f);
    const r = 0.05 * scene.width;
    expect(spread(luma, scene.width, t.cx * scene.width, t.cy * scene.height, r)).toBeGreaterThan(40);
    // The point opposite the object, through the frame's centre, is background.
    const bx = (1 - t.cx) * scene.width;
    const by = (1 - t.cy) * scene.height;
    const background = spread(
      luma,
      scene.width,
      Math.min(scene.width - r, Math.max(r, bx)),
      Math.min(scene.height - r, Math.max(r, by)),
      r,
    );
    expect(background).toBeLessThan(20);
    expect(background).toBeGreaterThan(2);
  });

  it('is the same for the same seed and different for another', () => {
    expect(movingObjectScene({ seed: 4 }).luma(37)).toEqual(scene.luma(37));
    expect(movingObjectScene({ seed: 5 }).luma(37)).not.toEqual(scene.luma(37));
    expect(movingObjectScene({ seed: 5 }).truth(37)).not.toEqual(scene.truth(37));
  });

  it('writes a 4:2:0 YUV4MPEG2 file whose frames read back as the scene', async () => {
    const path = join(dir, 'small.y4m');
    const options = { width: 160, height: 90, fps: 10, seconds: 1, seed: 2 };
    const small = await writeMovingObjectY4m(path, options);
    const header = `YUV4MPEG2 W160 H90 F10:1 Ip A1:1 C420jpeg\n`;
    expect(statSync(path).size).toBe(header.length + 10 * (6 + 160 * 90 + 2 * 80 * 45));
    let f = 0;
    for await (const frame of readY4mLuma(path)) {
      expect(frame.y).toEqual(small.luma(f));
      f += 1;
    }
    expect(f).toBe(10);
  });
});
