import { open } from 'node:fs/promises';
import { mulberry32 } from '../../client-core/src/anchoring/ransac.js';

/**
 * A test video with ground truth for the anchored marks: a strongly textured object (random,
 * non-periodic blocks and discs, a pump-like label with text-like bars) moving over a mildly
 * textured static background with sensor noise, motion blur and drifting light, along a smooth path — translation up to 20 % of
 * the frame width per second, rotation up to ±20°, scale 0.8–1.2 — and for its last seconds
 * leaving the frame. Everything follows from the seed; frames are rendered one at a time.
 */

/** Normalised centre (0..1 of width / height), rotation (rad, clockwise on screen), scale. */
export type ObjectPose = { cx: number; cy: number; angle: number; scale: number };
export type ObjectTruth = ObjectPose & { visible: boolean };

export type MovingObjectOptions = {
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  seed?: number;
  /** The last seconds, in which the object leaves the frame (default 3; 0 keeps it in). */
  exitSeconds?: number;
  /** Object width as a share of the frame's width at scale 1 (default 0.25). */
  objectWidth?: number;
  /** Sensor noise, ± gray levels (default 3). */
  noise?: number;
  /** Motion blur: instants averaged across a half-frame shutter (default 3; 1 for sharp frames). */
  blurSubframes?: number;
  /** Light drift over the video, ± share of the brightness (default 0.12). */
  lightDrift?: number;
  /** Replaces the generated path (time in s → pose), e.g. for a unit test's known motion. */
  pose?: (t: number) => ObjectPose;
};

export type MovingObjectScene = {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** The object's size at scale 1, normalised to the frame's width / height. */
  objectSize: { width: number; height: number };
  truth(frame: number): ObjectTruth;
  /** The object's box on frame 0 (its pose there is upright, scale 1 unless `pose` says otherwise). */
  startRegion(): { x: number; y: number; width: number; height: number };
  /** Luma of one frame (width*height), full range. */
  luma(frame: number): Uint8Array;
  /** Y, U, V planes of one frame, 4:2:0. */
  yuv(frame: number): { y: Uint8Array; u: Uint8Array; v: Uint8Array };
};

/** The share of the object that must be in the frame for it to count as visible. */
export const VISIBLE_SHARE = 0.5;
/** Fastest the generated path moves, in frame widths per second. */
export const MAX_SPEED = 0.2;

/** The object's own picture: luma, tw x th, random and never periodic. */
function objectTexture(tw: number, th: number, random: () => number): Float32Array {
  const tex = new Float32Array(tw * th).fill(70);
  const rect = (x0: number, y0: number, x1: number, y1: number, value: number) => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(th, Math.ceil(y1)); y += 1)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(tw, Math.ceil(x1)); x += 1) tex[y * tw + x] = value;
  };
  for (let i = 0; i < 140; i += 1) {
    const w = tw * (0.03 + random() * 0.15);
    const h = th * (0.03 + random() * 0.15);
    const x = random() * tw - w / 2;
    const y = random() * th - h / 2;
    rect(x, y, x + w, y + h, random() < 0.5 ? 20 + random() * 60 : 170 + random() * 85);
  }
  for (let i = 0; i < 40; i += 1) {
    const r = tw * (0.02 + random() * 0.05);
    const cx = random() * tw;
    const cy = random() * th;
    const value = random() * 255;
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(th, cy + r); y += 1)
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(tw, cx + r); x += 1)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) tex[y * tw + x] = value;
  }
  // The label: a light plate with rows of dark, text-like bars of random lengths.
  const lx0 = tw * 0.15;
  const lx1 = tw * 0.85;
  const ly0 = th * 0.62;
  const ly1 = th * 0.88;
  rect(lx0, ly0, lx1, ly1, 235);
  const rows = 3;
  const rowH = (ly1 - ly0) / (rows + 1);
  for (let r = 0; r < rows; r += 1) {
    let x = lx0 + tw * 0.03;
    const y = ly0 + rowH * (r + 0.5);
    while (x < lx1 - tw * 0.05) {
      const w = tw * (0.008 + random() * 0.03);
      rect(x, y, Math.min(x + w, lx1 - tw * 0.03), y + rowH * (0.5 + random() * 0.3), 15 + random() * 40);
      x += w + tw * (0.006 + random() * 0.02);
    }
  }
  // A dark rim, as a device's housing has.
  const rim = Math.max(1, Math.round(tw * 0.015));
  rect(0, 0, tw, rim, 25);
  rect(0, th - rim, tw, th, 25);
  rect(0, 0, rim, th, 25);
  rect(tw - rim, 0, tw, th, 25);
  return tex;
}

/** A static, low-contrast background: two octaves of value noise around mid gray. */
function background(width: number, height: number, random: () => number): Float32Array {
  const out = new Float32Array(width * height).fill(118);
  for (const [cell, amplitude] of [
    [Math.max(8, Math.round(width / 20)), 22],
    [Math.max(3, Math.round(width / 80)), 7],
  ] as const) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => (random() * 2 - 1) * amplitude);
    for (let y = 0; y < height; y += 1) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      for (let x = 0; x < width; x += 1) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const i = y0 * gw + x0;
        const top = grid[i]! + (grid[i + 1]! - grid[i]!) * fx;
        const bottom = grid[i + gw]! + (grid[i + gw + 1]! - grid[i + gw]!) * fx;
        out[y * width + x] = out[y * width + x]! + top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

export function movingObjectScene(options: MovingObjectOptions = {}): MovingObjectScene {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const fps = options.fps ?? 30;
  const seconds = options.seconds ?? 15;
  const seed = options.seed ?? 1;
  const exitSeconds = options.exitSeconds ?? 3;
  const noise = options.noise ?? 3;
  const subframes = Math.max(1, Math.round(options.blurSubframes ?? 3));
  // Share of the frame interval the shutter is open.
  const shutter = 0.5;
  const lightDrift = options.lightDrift ?? 0.12;
  const frames = Math.round(seconds * fps);
  const aspect = width / height;
  const random = mulberry32(seed);
  // The object in width units (both sides as shares of the frame's width).
  const ow = options.objectWidth ?? 0.25;
  const oh = ow * 0.7;
  const tw = Math.max(8, Math.round(ow * width * 1.25));
  const th = Math.max(8, Math.round(oh * width * 1.25));
  const texture = objectTexture(tw, th, random);
  const back = background(width, height, random);

  // The path: Lissajous-like, its speed bounded analytically (x ≤ 0.155, y ≤ 0.105 widths/s).
  const px = 7 + random() * 4;
  const py = 6 + random() * 3;
  const pa = 5 + random() * 3;
  const ps = 6 + random() * 3;
  const phx = random() * Math.PI * 2;
  const phy = random() * Math.PI * 2;
  const lightPeriod = 3 + random() * 3;
  const lightPhase = random() * Math.PI * 2;
  const moving = seconds - exitSeconds;
  const wander = (t: number): ObjectPose => ({
    cx: 0.5 + 0.17 * Math.sin((2 * Math.PI * t) / px + phx),
    cy: 0.5 + 0.1 * aspect * Math.sin((2 * Math.PI * t) / py + phy),
    angle: ((20 * Math.PI) / 180) * Math.sin((2 * Math.PI * t) / pa),
    scale: 1 + 0.2 * Math.sin((2 * Math.PI * t) / ps),
  });
  const path =
    options.pose ??
    ((t: number): ObjectPose => {
      if (t <= moving) return wander(t);
      // Leaving: straight out through the nearer side at the top speed, pose otherwise held.
      const end = wander(moving);
      const dir = end.cx < 0.5 ? -1 : 1;
      return { ...end, cx: end.cx + dir * MAX_SPEED * (t - moving) };
    });

  const poseAt = (frame: number) => path(frame / fps);
  const visibleShare = (p: ObjectPose) => {
    let inside = 0;
    const cos = Math.cos(p.angle);
    const sin = Math.sin(p.angle);
    for (let j = 0; j < 10; j += 1) {
      for (let i = 0; i < 10; i += 1) {
        const dx = ((i + 0.5) / 10 - 0.5) * ow * p.scale;
        const dy = ((j + 0.5) / 10 - 0.5) * oh * p.scale;
        const x = p.cx + cos * dx - sin * dy;
        const y = p.cy + (sin * dx + cos * dy) * aspect;
        if (x >= 0 && x < 1 && y >= 0 && y < 1) inside += 1;
      }
    }
    return inside / 100;
  };

  /** The object composited over the background at one instant: luma and coverage, accumulated. */
  const paint = (p: ObjectPose, luma: Float32Array, cover: Float32Array) => {
    const cos = Math.cos(p.angle);
    const sin = Math.sin(p.angle);
    const cxPx = p.cx * width;
    const cyPx = p.cy * height;
    // Texture pixels per frame pixel, and the object's half sides in texture pixels.
    const k = tw / (ow * width * p.scale);
    const halfW = tw / 2;
    const halfH = th / 2;
    const reach = Math.hypot(ow, oh) * width * p.scale * 0.5 + 2;
    for (let row = 0; row < height; row += 1) {
      for (let col = 0; col < width; col += 1) {
        const i = row * width + col;
        let value = back[i]!;
        const dx = col + 0.5 - cxPx;
        const dy = row + 0.5 - cyPx;
        if (Math.abs(dx) < reach && Math.abs(dy) < reach) {
          // Frame pixel → texture pixel: rotate back, scale to the texture.
          const u = (cos * dx + sin * dy) * k + halfW;
          const v = (-sin * dx + cos * dy) * k + halfH;
          // Soft edge one frame pixel wide.
          const edge = Math.min(u, tw - u, v, th - v) / k + 0.5;
          if (edge > 0) {
            const alpha = Math.min(1, edge);
            const su = Math.min(tw - 1.001, Math.max(0, u - 0.5));
            const sv = Math.min(th - 1.001, Math.max(0, v - 0.5));
            const x0 = su | 0;
            const y0 = sv | 0;
            const fx = su - x0;
            const fy = sv - y0;
            const t = y0 * tw + x0;
            const top = texture[t]! + (texture[t + 1]! - texture[t]!) * fx;
            const bottom = texture[t + tw]! + (texture[t + tw + 1]! - texture[t + tw]!) * fx;
            value = value * (1 - alpha) + (top + (bottom - top) * fy) * alpha;
            cover[i] = cover[i]! + alpha;
          }
        }
        luma[i] = luma[i]! + value;
      }
    }
  };

  /**
   * One frame: the object painted at `subframes` instants across the shutter (motion blur),
   * the light drifting (auto exposure, a cloud: ±`lightDrift`), sensor noise on top.
   */
  const render = (frame: number) => {
    const luma = new Float32Array(width * height);
    const cover = new Float32Array(width * height);
    for (let s = 0; s < subframes; s += 1) {
      const offset = subframes === 1 ? 0 : (s / (subframes - 1) - 0.5) * shutter;
      paint(path((frame + offset) / fps), luma, cover);
    }
    const gain = (1 + lightDrift * Math.sin((2 * Math.PI * frame) / (fps * lightPeriod) + lightPhase)) / subframes;
    const y = new Uint8Array(width * height);
    const noiseAt = mulberry32(seed * 100_003 + frame);
    for (let i = 0; i < y.length; i += 1) {
      const value = luma[i]! * gain + (noiseAt() * 2 - 1) * noise;
      y[i] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
      cover[i] = cover[i]! / subframes;
    }
    return { y, cover };
  };

  return {
    width,
    height,
    fps,
    frames,
    objectSize: { width: ow, height: oh * aspect },
    truth: (frame) => {
      const p = poseAt(frame);
      return { ...p, visible: visibleShare(p) >= VISIBLE_SHARE };
    },
    startRegion: () => {
      const p = poseAt(0);
      const w = ow * p.scale;
      const h = oh * aspect * p.scale;
      return { x: p.cx - w / 2, y: p.cy - h / 2, width: w, height: h };
    },
    luma: (frame) => render(frame).y,
    yuv: (frame) => {
      const { y, cover } = render(frame);
      const cw = width >> 1;
      const ch = height >> 1;
      const u = new Uint8Array(cw * ch);
      const v = new Uint8Array(cw * ch);
      for (let row = 0; row < ch; row += 1) {
        for (let col = 0; col < cw; col += 1) {
          const i = 2 * row * width + 2 * col;
          const a = (cover[i]! + cover[i + 1]! + cover[i + width]! + cover[i + width + 1]!) / 4;
          // A blue-grey pump on a faintly warm background.
          u[row * cw + col] = Math.round(126 + a * 24);
          v[row * cw + col] = Math.round(131 - a * 17);
        }
      }
      return { y, u, v };
    },
  };
}

/**
 * Writes the scene as YUV4MPEG2 (`C420jpeg`, full range, as Chromium's
 * `--use-file-for-fake-video-capture` reads it), one frame at a time. Defaults: 640x360, 30 fps,
 * 15 s (450 frames, 156 MB): 1280x720 would be 1.38 MB a frame, 830 MB for 20 s.
 * Chromium (156) plays the file at its own size and does not scale it up: `getUserMedia` asking
 * for 1280x720 gets a 640x360 track (`getSettings()`: 640x360, resizeMode "none"), so the call
 * carries 640x360 at most — compare figures with that in mind. The file loops at its end.
 */
export async function writeMovingObjectY4m(path: string, options: MovingObjectOptions = {}) {
  const scene = movingObjectScene(options);
  if (scene.width % 2 || scene.height % 2) throw new Error('4:2:0 needs even sides');
  const file = await open(path, 'w');
  try {
    await file.write(`YUV4MPEG2 W${scene.width} H${scene.height} F${scene.fps}:1 Ip A1:1 C420jpeg\n`);
    for (let f = 0; f < scene.frames; f += 1) {
      const { y, u, v } = scene.yuv(f);
      await file.write(Buffer.concat([Buffer.from('FRAME\n'), y, u, v]));
    }
  } finally {
    await file.close();
  }
  return scene;
}

/** The luma planes of a 4:2:0 YUV4MPEG2 file, frame by frame, read as they are needed. */
export async function* readY4mLuma(path: string): AsyncGenerator<{ width: number; height: number; y: Uint8Array }> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(256);
    await file.read(head, 0, 256, 0);
    const end = head.indexOf(0x0a);
    const header = head.subarray(0, end).toString('ascii');
    const width = Number(/ W(\d+)/.exec(header)?.[1]);
    const height = Number(/ H(\d+)/.exec(header)?.[1]);
    if (!/^YUV4MPEG2 /.test(header) || !width || !height || !/ C420/.test(header)) throw new Error(`not a 4:2:0 y4m: ${header}`);
    const frameBytes = width * height + 2 * (width >> 1) * (height >> 1);
    let at = end + 1;
    const tag = Buffer.alloc(64);
    for (;;) {
      const { bytesRead } = await file.read(tag, 0, 64, at);
      if (bytesRead === 0) return;
      const nl = tag.indexOf(0x0a);
      if (nl < 0 || tag.subarray(0, 5).toString('ascii') !== 'FRAME') throw new Error(`bad frame header at byte ${at}`);
      const y = new Uint8Array(width * height);
      await file.read(y, 0, y.length, at + nl + 1);
      yield { width, height, y };
      at += nl + 1 + frameBytes;
    }
  } finally {
    await file.close();
  }
}
