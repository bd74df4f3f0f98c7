import { getStroke } from 'perfect-freehand';
import { AnnotationTool, type Mark } from '@live-assist/protocol';
import type { FrameSize } from './mapping.js';

/** Geometry in frame pixels, drawn the same way by the SVG overlay and the snapshot canvas. */
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; stroke: number }
  | { kind: 'arrow'; x1: number; y1: number; x2: number; y2: number; stroke: number; head: Array<[number, number]> }
  | { kind: 'stroke'; outline: Array<[number, number]> };

/** A mark's width is given for a 1000-pixel frame; scale it to this frame's longer side. */
export function strokePx(width: number, frame: FrameSize): number {
  return (width * Math.max(frame.width, frame.height)) / 1000;
}

export function shapeOf(mark: Mark, frame: FrameSize): Shape {
  const sw = strokePx(mark.width, frame);
  const px = mark.points.map(([x, y]) => [x * frame.width, y * frame.height] as [number, number]);
  const [a, b] = [px[0]!, px.at(-1)!];
  switch (mark.tool) {
    case AnnotationTool.rectangle:
      return {
        kind: 'rect',
        x: Math.min(a[0], b[0]),
        y: Math.min(a[1], b[1]),
        width: Math.abs(b[0] - a[0]),
        height: Math.abs(b[1] - a[1]),
        stroke: sw,
      };
    case AnnotationTool.arrow:
      return { kind: 'arrow', x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: sw, head: arrowHead(a, b, sw) };
    case AnnotationTool.freehand:
      return {
        kind: 'stroke',
        outline: getStroke(px, {
          size: sw * 1.4,
          thinning: 0.45,
          smoothing: 0.5,
          streamline: 0.35,
          simulatePressure: true,
          last: mark.done,
        }) as Array<[number, number]>,
      };
  }
}

/** A filled triangle whose tip is the end point; the shaft stops at its base. */
function arrowHead(a: [number, number], b: [number, number], sw: number): Array<[number, number]> {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < 1e-6) return [];
  const ux = (b[0] - a[0]) / len;
  const uy = (b[1] - a[1]) / len;
  const size = Math.min(Math.max(sw * 4, 12), len * 0.6);
  const bx = b[0] - ux * size;
  const by = b[1] - uy * size;
  const half = size * 0.55;
  return [
    [b[0], b[1]],
    [bx - uy * half, by + ux * half],
    [bx + uy * half, by - ux * half],
  ];
}

/** Where the arrow's shaft ends (under the head's base), so a round cap never pokes past the tip. */
export function shaftEnd(shape: Extract<Shape, { kind: 'arrow' }>): [number, number] {
  if (shape.head.length === 0) return [shape.x2, shape.y2];
  const [, l, r] = shape.head as [[number, number], [number, number], [number, number]];
  return [(l[0] + r[0]) / 2, (l[1] + r[1]) / 2];
}

export function outlinePath(outline: ReadonlyArray<readonly [number, number]>): string {
  if (outline.length === 0) return '';
  const [first, ...rest] = outline;
  return `M${first![0].toFixed(2)} ${first![1].toFixed(2)}${rest.map((p) => `L${p[0].toFixed(2)} ${p[1].toFixed(2)}`).join('')}Z`;
}
