import type { Point } from '@live-assist/protocol';

/** How a video (or still) is fitted into its element box, as in CSS `object-fit`. */
export const Fit = { contain: 'contain', cover: 'cover' } as const;
export type Fit = (typeof Fit)[keyof typeof Fit];

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface FrameSize {
  width: number;
  height: number;
}

/**
 * Where the frame's pixels land inside `box` (object-position: center). With `cover` the result is
 * larger than the box and partly cropped; with `contain` it is letterboxed inside it.
 */
export function contentBox(box: Box, frame: FrameSize, fit: Fit): Box {
  if (frame.width <= 0 || frame.height <= 0 || box.width <= 0 || box.height <= 0) return { ...box };
  const sx = box.width / frame.width;
  const sy = box.height / frame.height;
  const scale = fit === Fit.contain ? Math.min(sx, sy) : Math.max(sx, sy);
  const width = frame.width * scale;
  const height = frame.height * scale;
  return {
    left: box.left + (box.width - width) / 2,
    top: box.top + (box.height - height) / 2,
    width,
    height,
  };
}

/** Screen pixels per frame pixel. */
export function displayScale(box: Box, frame: FrameSize, fit: Fit): number {
  const content = contentBox(box, frame, fit);
  return frame.width > 0 ? content.width / frame.width : 1;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * A screen position over the element → a fraction of the captured frame. `mirrored` is true when
 * the element shows the frame flipped (a front-camera self view). Clamped to the frame's edges so
 * a drag that leaves the picture still ends on it; `inside` tells whether it was on the picture.
 */
export function clientToFrame(
  x: number,
  y: number,
  box: Box,
  frame: FrameSize,
  fit: Fit,
  mirrored = false,
): { point: Point; inside: boolean } {
  const c = contentBox(box, frame, fit);
  let fx = (x - c.left) / c.width;
  const fy = (y - c.top) / c.height;
  if (mirrored) fx = 1 - fx;
  const inside =
    fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1 && x >= box.left && x <= box.left + box.width && y >= box.top && y <= box.top + box.height;
  return { point: [round(clamp01(fx)), round(clamp01(fy))], inside };
}

/** A frame fraction → the screen position it is shown at. */
export function frameToClient(p: Point, box: Box, frame: FrameSize, fit: Fit, mirrored = false): { x: number; y: number } {
  const c = contentBox(box, frame, fit);
  const fx = mirrored ? 1 - p[0] : p[0];
  return { x: c.left + fx * c.width, y: c.top + p[1] * c.height };
}

/** Five decimals: a hundredth of a pixel on a 4K frame, and short frames on the wire. */
export function round(v: number): number {
  return Math.round(v * 100_000) / 100_000;
}
