import { AnchorState, type AnchorTransform } from '@live-assist/protocol';
import type { FrameSize } from './mapping.js';
import type { MarkAnchorView } from './model.js';

/** How faded a mark whose object the tracker lost is drawn: still there to see, clearly not on it. */
export const LOST_OPACITY = 0.3;

/**
 * An anchored mark's transform as an SVG matrix in frame pixels. The protocol's transform works in
 * width units (`anchors.ts`); multiplied out by the frame's width that is
 *   X' = a·X − b·Y + tx·W,  Y' = b·X + a·Y + ty·W.
 */
export function anchorMatrix(t: AnchorTransform, f: FrameSize): string {
  return `matrix(${t.a} ${t.b} ${-t.b} ${t.a} ${t.tx * f.width} ${t.ty * f.width})`;
}

/**
 * How the overlay shows an anchored mark. Before its first update it stays where it was drawn;
 * while tracking it moves with the object; once lost it stays, faded, at the last place it was
 * seen (kept, not hidden: the specialist may pin it again, and the customer still sees what was
 * meant). The mark lags the picture by what the update took to come (tracking + network): shown
 * as it is, not predicted.
 */
export function anchorStyle(
  view: MarkAnchorView | undefined,
  f: FrameSize,
): { transform: string | null; opacity: number | null; state: 'pending' | AnchorState } {
  if (!view) return { transform: null, opacity: null, state: 'pending' };
  return {
    transform: anchorMatrix(view.transform, f),
    opacity: view.state === AnchorState.lost ? LOST_OPACITY : null,
    state: view.state,
  };
}
