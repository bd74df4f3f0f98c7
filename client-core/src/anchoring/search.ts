import type { Box } from './corners.js';
import type { Level } from './image.js';
import type { Point } from './types.js';

/**
 * The whole-pixel shift that best lays the patch `box` of `from` onto `to`, tried at every offset
 * within `radius` of `around` (px of these levels). Lucas–Kanade follows a few pixels per pyramid
 * level from its first guess; this finds a jump of tens (frames a starved page never tracked, an
 * object that moved on while it was covered) for LK to start from. Compared with their means taken
 * out, so a change of light does not move the answer. Null when the patch is too small or no
 * offset keeps it inside `to`.
 */
export function searchShift(from: Level, box: Box, to: Level, around: Point, radius: number): Point | null {
  const x0 = Math.max(0, Math.round(box.x0));
  const y0 = Math.max(0, Math.round(box.y0));
  const x1 = Math.min(from.width, Math.round(box.x1));
  const y1 = Math.min(from.height, Math.round(box.y1));
  const w = x1 - x0;
  const h = y1 - y0;
  if (w < 6 || h < 6) return null;
  const patch = new Float32Array(w * h);
  let mean = 0;
  for (let y = 0; y < h; y += 1) for (let x = 0; x < w; x += 1) mean += patch[y * w + x] = from.data[(y0 + y) * from.width + x0 + x]!;
  mean /= w * h;
  for (let i = 0; i < patch.length; i += 1) patch[i]! -= mean;

  let best: Point | null = null;
  let bestCost = Infinity;
  const cx = Math.round(around.x);
  const cy = Math.round(around.y);
  for (let dy = cy - radius; dy <= cy + radius; dy += 1) {
    if (y0 + dy < 0 || y1 + dy > to.height) continue;
    for (let dx = cx - radius; dx <= cx + radius; dx += 1) {
      if (x0 + dx < 0 || x1 + dx > to.width) continue;
      let sum = 0;
      for (let y = 0; y < h; y += 1) {
        const row = (y0 + dy + y) * to.width + x0 + dx;
        for (let x = 0; x < w; x += 1) sum += to.data[row + x]!;
      }
      const m = sum / (w * h);
      let cost = 0;
      for (let y = 0; y < h && cost < bestCost; y += 1) {
        const row = (y0 + dy + y) * to.width + x0 + dx;
        for (let x = 0; x < w; x += 1) cost += Math.abs(to.data[row + x]! - m - patch[y * w + x]!);
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = { x: dx, y: dy };
      }
    }
  }
  return best;
}
