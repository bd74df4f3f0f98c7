import { snapZoom } from '@live-assist/client-core';
import type { ZoomRange } from '@live-assist/protocol';

// The phone snaps a level to its camera's grid the same way (client-core camera/track.ts).
export { snapZoom };

/** Round increments a specialist can count in: 1–8× moves by 0.5×, 1–30× by 2×, 1–2× by 0.1×. */
const NICE = [0.1, 0.25, 0.5, 1, 2, 5, 10] as const;

/** How far one press of − or + moves: about an eighth of the range, never less than the phone's step. */
export function zoomIncrement(range: ZoomRange): number {
  const raw = (range.max - range.min) / 8;
  const nice = [...NICE].reverse().find((n) => n <= raw) ?? NICE[0];
  return Math.max(nice, range.step);
}

/** The next level up or down on the increment's grid (1.3 goes to 1.5, not 1.8), within range. */
export function zoomStep(current: number, direction: 1 | -1, range: ZoomRange): number {
  const inc = zoomIncrement(range);
  const slot = current / inc;
  const next = snapZoom(direction > 0 ? (Math.floor(slot + 1e-6) + 1) * inc : (Math.ceil(slot - 1e-6) - 1) * inc, range);
  // A step grid that does not line up with the increment could snap back to where it was.
  return next === snapZoom(current, range) ? snapZoom(current + direction * range.step, range) : next;
}
