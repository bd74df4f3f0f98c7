import { z } from 'zod';
import { MarkIdSchema } from './annotations.js';

/**
 * Anchored marks: a mark the specialist drew on the live video follows the object under it. The
 * console tracks the image region on the frames it receives and sends, per update, where the mark
 * now sits relative to where it was drawn: a similarity transform (scale + rotation + shift).
 *
 * The transform works in WIDTH units (both axes as fractions of the frame's width), where
 * rotation and uniform scale are what they are on screen (the tracker's `Similarity`,
 * `client-core/src/anchoring/types.ts`):
 *   u = x, v = y/aspect            (aspect = width/height)
 *   u' = a·u − b·v + tx,  v' = b·u + a·v + ty,  x' = u', y' = v'·aspect
 * Identity is {a: 1, b: 0, tx: 0, ty: 0}; scale is √(a² + b²); tx and ty are fractions of the width.
 */

export const AnchorState = { tracking: 'tracking', lost: 'lost' } as const;
export type AnchorState = (typeof AnchorState)[keyof typeof AnchorState];

/** Smallest and largest scale a transform may carry: beyond it the tracker went wrong, not the object. */
export const MIN_ANCHOR_SCALE = 0.1;
export const MAX_ANCHOR_SCALE = 10;
/** How far (in frame widths/heights) a mark may be shifted: off the picture, never off to infinity. */
export const MAX_ANCHOR_SHIFT = 2;

/** Finite by construction: NaN and ±Infinity fail every bound. */
const Coefficient = z.number().min(-MAX_ANCHOR_SCALE).max(MAX_ANCHOR_SCALE);
const Shift = z.number().min(-MAX_ANCHOR_SHIFT).max(MAX_ANCHOR_SHIFT);

export const AnchorTransformSchema = z.object({ a: Coefficient, b: Coefficient, tx: Shift, ty: Shift }).refine(({ a, b }) => {
  const scale = Math.hypot(a, b);
  return scale >= MIN_ANCHOR_SCALE && scale <= MAX_ANCHOR_SCALE;
}, `scale must lie within ${MIN_ANCHOR_SCALE}..${MAX_ANCHOR_SCALE}`);
export type AnchorTransform = z.infer<typeof AnchorTransformSchema>;

export const IDENTITY_TRANSFORM: AnchorTransform = { a: 1, b: 0, tx: 0, ty: 0 };

/**
 * The media time (s, `requestVideoFrameCallback`'s `mediaTime` on the console) of the frame the
 * update was measured on. Only ever compared with the same mark's earlier updates: latest wins, a
 * stale one never moves a mark back.
 */
export const AnchorFrameTimeSchema = z.number().min(0).max(1e9);

/** Specialist → relay → customer and observers; also straight over the call's data lane (P2P). */
export const MarkAnchorSchema = z.object({
  type: z.literal('mark-anchor'),
  markId: MarkIdSchema,
  frameTime: AnchorFrameTimeSchema,
  transform: AnchorTransformSchema,
  state: z.enum([AnchorState.tracking, AnchorState.lost]),
  /**
   * The update already went to the customer's page over the call's data lane: the relay keeps it
   * (for a page that reconnects) and hands it to observers only. Never set on a `lost` update,
   * which goes over the relay too: the lane may lose it, and a lost object must not stay marked.
   */
  peer: z.literal(true).optional(),
});
export type MarkAnchor = z.infer<typeof MarkAnchorSchema>;

/** Most anchor updates a session's specialist may send per second (15 Hz × a handful of marks). */
export const ANCHOR_UPDATES_PER_SECOND = 60;

/** Applies a transform to one point (frame fractions in and out). */
export function applyAnchor(t: AnchorTransform, [x, y]: readonly [number, number], aspect: number): [number, number] {
  const v = y / aspect;
  return [t.a * x - t.b * v + t.tx, (t.b * x + t.a * v + t.ty) * aspect];
}

/** Whether update `next` replaces `last` of the same mark (strictly newer frame). */
export function anchorNewer(next: Pick<MarkAnchor, 'frameTime'>, last: Pick<MarkAnchor, 'frameTime'> | undefined): boolean {
  return last === undefined || next.frameTime > last.frameTime;
}

/**
 * The same update as 27 + id-length bytes on the P2P pointer lane (`peer-pointer.ts`), whose
 * pointer messages are 9 bytes with kind 0 or 1:
 *
 *   byte 0        kind: 2 = anchor
 *   byte 1        state: 0 tracking, 1 lost
 *   bytes 2–9     frameTime, float64 big-endian
 *   bytes 10–25   a, b, tx, ty, float32 big-endian (a 4K frame's 1/10⁷: rounding never shows)
 *   byte 26       id length n (1–64), then n ASCII bytes of the mark id
 */
export const PEER_ANCHOR_KIND = 2;
const HEAD = 27;

export function encodePeerAnchor(update: MarkAnchor): Uint8Array {
  // Mark ids are ASCII by their schema.
  const id = Uint8Array.from(update.markId, (c) => c.charCodeAt(0) & 0x7f);
  const bytes = new Uint8Array(HEAD + id.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, PEER_ANCHOR_KIND);
  view.setUint8(1, update.state === AnchorState.lost ? 1 : 0);
  view.setFloat64(2, update.frameTime);
  const { a, b, tx, ty } = update.transform;
  [a, b, tx, ty].forEach((v, i) => view.setFloat32(10 + i * 4, v));
  view.setUint8(26, id.length);
  bytes.set(id, HEAD);
  return bytes;
}

/** Null for anything that is not a valid anchor message (other kinds, bad length, bad values). */
export function decodePeerAnchor(data: ArrayBuffer | ArrayBufferView): MarkAnchor | null {
  const view = ArrayBuffer.isView(data) ? new DataView(data.buffer, data.byteOffset, data.byteLength) : new DataView(data);
  if (view.byteLength < HEAD + 1 || view.getUint8(0) !== PEER_ANCHOR_KIND) return null;
  const n = view.getUint8(26);
  if (view.byteLength !== HEAD + n) return null;
  const state = view.getUint8(1);
  const id = String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + HEAD, n));
  const parsed = MarkAnchorSchema.safeParse({
    type: 'mark-anchor',
    markId: id,
    frameTime: view.getFloat64(2),
    transform: { a: view.getFloat32(10), b: view.getFloat32(14), tx: view.getFloat32(18), ty: view.getFloat32(22) },
    state: state === 0 ? AnchorState.tracking : state === 1 ? AnchorState.lost : 'bad',
  });
  return parsed.success ? parsed.data : null;
}

export const anchorsClientFrames = [MarkAnchorSchema] as const;
export const anchorsRelayFrames = [MarkAnchorSchema] as const;
