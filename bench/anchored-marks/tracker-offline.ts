/**
 * The anchor tracker alone, no browser: the generated test video (tests/support/moving-object.ts)
 * written as y4m, read back frame by frame, scaled to the tracking size and fed to AnchorTracker
 * with the object's box on frame 0 as the region. Per range of frames: the tracked centre's error
 * against the truth in % of the frame width (p50/p95/max), the share of frames the mark is shown
 * while the object is visible, time per `track` (p50/p95, wall and this process's CPU: on a busy
 * machine the CPU figure is the steadier one); then the frame where the anchor is
 * reported lost after the object has left.
 * `SEEDS` (default 1,2,3), `SECONDS` (15), `SIZE` (source, 640x360), `TRACK_WIDTH` (320),
 * `Y4M_DIR` (default the system's temp folder), `RANGE_S` (seconds per printed range, 3), `NOISE`, `LIGHT`, `STEP`
 * (track every n-th frame only), `JPEG` (quality each frame is coded at first, for codec artefacts).
 */
import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downscaleGray } from '../../client-core/src/anchoring/image.js';
import { AnchorTracker } from '../../client-core/src/anchoring/tracker.js';
import { applySimilarity } from '../../client-core/src/anchoring/types.js';
import { readY4mLuma, writeMovingObjectY4m } from '../../tests/support/moving-object.js';
import { percentile } from '../stats.js';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 15);
const [SRC_W, SRC_H] = (process.env.SIZE ?? '640x360').split('x').map(Number) as [number, number];
const TRACK_W = Number(process.env.TRACK_WIDTH ?? 320);
const RANGE_S = Number(process.env.RANGE_S ?? 3);
const DIR = process.env.Y4M_DIR ?? tmpdir();
// Harder video: sensor noise (± gray levels, default 3) and light drift (± share, default 0.12).
const NOISE = Number(process.env.NOISE ?? 3);
const LIGHT = Number(process.env.LIGHT ?? 0.12);
// Track every STEP-th frame only, as a console does whose worker cannot keep up (default 1).
const STEP = Math.max(1, Number(process.env.STEP ?? 1));
// JPEG quality each frame goes through first, standing in for the call's video codec (unset: none).
const JPEG = process.env.JPEG ? Number(process.env.JPEG) : null;

async function coded(y: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (JPEG === null) return y;
  const jpeg = await sharp(y, { raw: { width, height, channels: 1 } })
    .jpeg({ quality: JPEG })
    .toBuffer();
  return new Uint8Array(await sharp(jpeg).extractChannel(0).raw().toBuffer());
}

type Row = { frame: number; error: number | null; visible: boolean; shown: boolean; ms: number; cpu: number };

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');

function summarise(label: string, rows: Row[]): void {
  const errors = rows.filter((r) => r.visible && r.shown && r.error !== null).map((r) => r.error!);
  const visible = rows.filter((r) => r.visible);
  const shown = visible.filter((r) => r.shown).length;
  const tracked = rows.filter((r) => r.frame > 0);
  const times = tracked.map((r) => r.ms);
  const cpu = tracked.map((r) => r.cpu);
  console.log(
    `${label.padEnd(16)} error % width p50 ${fmt(percentile(errors, 50))} p95 ${fmt(percentile(errors, 95))} max ${fmt(Math.max(...errors))}` +
      `  shown ${visible.length ? ((100 * shown) / visible.length).toFixed(1) : '-'} % of ${visible.length} visible` +
      `  track ms p50 ${fmt(percentile(times, 50))} p95 ${fmt(percentile(times, 95))}` +
      ` (cpu ${fmt(percentile(cpu, 50))} / ${fmt(percentile(cpu, 95))})`,
  );
}

const all: Row[] = [];
for (const seed of SEEDS) {
  const path = join(DIR, `anchored-marks-${seed}.y4m`);
  const started = performance.now();
  const scene = await writeMovingObjectY4m(path, { width: SRC_W, height: SRC_H, seconds: SECONDS, seed, noise: NOISE, lightDrift: LIGHT });
  console.log(`\nseed ${seed}: ${scene.frames} frames ${SRC_W}x${SRC_H} written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const trackH = Math.round((TRACK_W * SRC_H) / SRC_W);
  const aspect = SRC_W / SRC_H;
  const tracker = new AnchorTracker(TRACK_W, trackH);
  const region = scene.startRegion();
  const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
  const rows: Row[] = [];
  let frame = 0;
  let lostAt: number | null = null;
  let leftAt: number | null = null;
  for await (const { y } of readY4mLuma(path)) {
    const gray = downscaleGray(await coded(y, SRC_W, SRC_H), SRC_W, SRC_H, TRACK_W, trackH);
    const t = frame / scene.fps;
    const truth = scene.truth(frame);
    if (frame % STEP !== 0) {
      frame += 1;
      continue;
    }
    if (frame === 0) {
      tracker.anchor('mark', gray, region, t);
      rows.push({ frame, error: 0, visible: truth.visible, shown: true, ms: 0, cpu: 0 });
    } else {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const [update] = tracker.track(gray, t);
      const ms = performance.now() - t0;
      const used = process.cpuUsage(c0);
      const cpu = (used.user + used.system) / 1000;
      const p = applySimilarity(update!.transform, centre, aspect);
      const error = 100 * Math.hypot(p.x - truth.cx, (p.y - truth.cy) / aspect);
      rows.push({ frame, error, visible: truth.visible, shown: !update!.lost, ms, cpu });
      if (!truth.visible && leftAt === null) leftAt = frame;
      if (update!.lost && lostAt === null) lostAt = frame;
    }
    frame += 1;
  }
  rmSync(path, { force: true });
  const per = Math.round(RANGE_S * scene.fps);
  for (let from = 0; from < rows.length; from += per)
    summarise(`frames ${from}-${Math.min(rows.length, from + per) - 1}`, rows.slice(from, from + per));
  summarise('all', rows);
  console.log(
    `object leaves (visible < 50 %) at frame ${leftAt ?? '-'}; anchor reported lost at frame ${lostAt ?? 'never'}` +
      (lostAt !== null && leftAt !== null ? ` (${lostAt - leftAt} frames after)` : ''),
  );
  all.push(...rows);
}
console.log('');
summarise(`all seeds`, all);
