import { AnnotationTool, applyAnchor, type AnchorTransform, type Mark, type Point } from '@live-assist/protocol';
import type { Region } from './engine';

/**
 * `second ∘ first`: first the mark's place when it was (re)pinned, then what the tracker measured
 * since. In width units (`anchors.ts`) composition needs no aspect.
 */
export function compose(second: AnchorTransform, first: AnchorTransform): AnchorTransform {
  return {
    a: second.a * first.a - second.b * first.b,
    b: second.b * first.a + second.a * first.b,
    tx: second.a * first.tx - second.b * first.ty + second.tx,
    ty: second.b * first.tx + second.a * first.ty + second.ty,
  };
}

/** Smallest region side, as a fraction of the frame width: below it there is nothing to match. */
const MIN_SIDE = 0.05;
/** Context added around a freehand mark's box: a circled thing sits inside the stroke, not under it. */
const FREEHAND_MARGIN = 0.1;

/**
 * The image region that carries the mark: what the tracker follows. A rectangle's inside (what it
 * was drawn around; more background would hold it still against a moving object); the area around
 * an arrow's tip (what it points at, not the empty air its shaft crosses); a freehand mark's box with
 * a margin.
 */
export function regionOf(mark: Mark, transform: AnchorTransform, aspect: number): Region {
  const points = mark.points.map((p) => applyAnchor(transform, p, aspect));
  let box: Region;
  if (mark.tool === AnnotationTool.arrow && points.length >= 2) {
    const [ax, ay] = points[0]!;
    const [bx, by] = points.at(-1)!;
    const side = Math.max(MIN_SIDE * 2, Math.hypot((bx - ax) * aspect, by - ay) * 0.35);
    box = centred(bx, by, side / aspect, side);
  } else {
    box = bounds(points);
    if (mark.tool === AnnotationTool.freehand) {
      const m = Math.max(box.width, box.height * (1 / aspect)) * FREEHAND_MARGIN;
      box = { x: box.x - m, y: box.y - m * aspect, width: box.width + 2 * m, height: box.height + 2 * m * aspect };
    }
  }
  const width = Math.max(box.width, MIN_SIDE);
  const height = Math.max(box.height, MIN_SIDE * aspect);
  return clampRegion(centred(box.x + box.width / 2, box.y + box.height / 2, width, height));
}

function bounds(points: Point[]): Region {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function centred(cx: number, cy: number, width: number, height: number): Region {
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

function clampRegion(r: Region): Region {
  const width = Math.min(1, r.width);
  const height = Math.min(1, r.height);
  return { x: Math.min(1 - width, Math.max(0, r.x)), y: Math.min(1 - height, Math.max(0, r.y)), width, height };
}
