/**
 * A mark's anchor on live video. Coordinates are NORMALISED to the frame: x in 0..1 of its width,
 * y in 0..1 of its height, origin top left (the same convention as the call's marks).
 */
export type Region = { x: number; y: number; width: number; height: number };

/** A point in normalised frame coordinates. */
export type Point = { x: number; y: number };

/**
 * Where the anchored image region went since anchor time: a similarity (rotation, uniform scale,
 * translation). The frame is not square, so the transform is expressed in WIDTH units — both
 * axes measured in fractions of the frame's width — where rotation and uniform scale are what
 * they are on screen:
 *
 *   u = p.x,  v = p.y / aspect               (aspect = frame width / frame height)
 *   u' = a·u − b·v + tx,  v' = b·u + a·v + ty
 *   p'.x = u',  p'.y = v' · aspect
 *
 * `applySimilarity` does exactly that. Scale is √(a²+b²), rotation atan2(b, a) (clockwise on
 * screen, since y points down); tx and ty are fractions of the frame's width. Identity:
 * `{ a: 1, b: 0, tx: 0, ty: 0 }`. To draw in pixels of a displayed video of width `w` (same
 * aspect), see `similarityToPixelMatrix`.
 */
export type Similarity = { a: number; b: number; tx: number; ty: number };

export const IDENTITY: Similarity = Object.freeze({ a: 1, b: 0, tx: 0, ty: 0 });

/** One anchor's state after one received frame. */
export type AnchorUpdate = {
  id: string;
  /** The video frame's mediaTime (s) from requestVideoFrameCallback: which frame this is for. */
  frameTime: number;
  /** Anchor-time frame → this frame, see `Similarity`. While lost: the last good transform. */
  transform: Similarity;
  /** 0..1: the share of the anchor's tracked points that agree with the transform. */
  confidence: number;
  /** Tracking lost (too few agreeing points, or the region left the frame): fade the mark. */
  lost: boolean;
};

/** Maps a normalised point of the anchor-time frame into the current frame (see `Similarity`). */
export function applySimilarity(s: Similarity, p: Point, aspect: number): Point {
  const u = p.x;
  const v = p.y / aspect;
  return { x: s.a * u - s.b * v + s.tx, y: (s.b * u + s.a * v + s.ty) * aspect };
}

/**
 * The same transform for pixels of a displayed frame `displayWidth` wide (any height of the same
 * aspect), as the six numbers of a 2D matrix `[a, b, c, d, e, f]` (SVG `matrix()`, DOMMatrix,
 * canvas `setTransform`): x' = a·x + c·y + e, y' = b·x + d·y + f.
 */
export function similarityToPixelMatrix(s: Similarity, displayWidth: number): [number, number, number, number, number, number] {
  return [s.a, s.b, -s.b, s.a, s.tx * displayWidth, s.ty * displayWidth];
}

/** `second` after `first`. */
export function composeSimilarity(second: Similarity, first: Similarity): Similarity {
  return {
    a: second.a * first.a - second.b * first.b,
    b: second.b * first.a + second.a * first.b,
    tx: second.a * first.tx - second.b * first.ty + second.tx,
    ty: second.b * first.tx + second.a * first.ty + second.ty,
  };
}

export function invertSimilarity(s: Similarity): Similarity {
  const d = s.a * s.a + s.b * s.b;
  const a = s.a / d;
  const b = -s.b / d;
  return { a, b, tx: -(a * s.tx - b * s.ty), ty: -(b * s.tx + a * s.ty) };
}
