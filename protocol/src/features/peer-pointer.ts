/**
 * The pointer straight between the two pages of a P2P call, over an unordered data channel that
 * never retransmits (a late position is worth less than the next one). Nine bytes instead of a
 * JSON frame: at 60 positions a second the stream stays near 4 kbit/s of payload.
 *
 *   byte 0     kind: 1 = position, 0 = hidden
 *   bytes 1–4  seq, unsigned, big-endian (the same counter as the relay frame's `seq`)
 *   bytes 5–6  x as a fraction of the frame width, 0…65535
 *   bytes 7–8  y as a fraction of the frame height, 0…65535
 *
 * 1/65535 of a 4K frame is 0.06 px: the rounding never shows.
 */
import type { Point } from './annotations.js';

/** Both pages open it with the same id (negotiated), so no signaling names it. */
export const PEER_POINTER_CHANNEL = { label: 'pointer', id: 1 } as const;

export const PEER_POINTER_BYTES = 9;

const KIND_HIDDEN = 0;
const KIND_POSITION = 1;
const SCALE = 0xffff;

export type PeerPointer = { seq: number; point: Point | null };

export function encodePeerPointer({ seq, point }: PeerPointer): Uint8Array {
  const bytes = new Uint8Array(PEER_POINTER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, point ? KIND_POSITION : KIND_HIDDEN);
  view.setUint32(1, seq >>> 0);
  if (point) {
    view.setUint16(5, Math.round(clamp(point[0]) * SCALE));
    view.setUint16(7, Math.round(clamp(point[1]) * SCALE));
  }
  return bytes;
}

/** Null for anything that is not a well-formed message (wrong length or kind): the caller drops it. */
export function decodePeerPointer(data: ArrayBuffer | ArrayBufferView): PeerPointer | null {
  const view = ArrayBuffer.isView(data) ? new DataView(data.buffer, data.byteOffset, data.byteLength) : new DataView(data);
  if (view.byteLength !== PEER_POINTER_BYTES) return null;
  const kind = view.getUint8(0);
  const seq = view.getUint32(1);
  if (kind === KIND_HIDDEN) return { seq, point: null };
  if (kind !== KIND_POSITION) return null;
  return { seq, point: [view.getUint16(5) / SCALE, view.getUint16(7) / SCALE] };
}

/**
 * Whether `seq` comes after `last` in a sender's stream, modulo 2³² (serial number arithmetic):
 * a counter started from a clock wraps every 49 days, and a reloaded page starts above its old self.
 */
export function pointerSeqNewer(seq: number, last: number): boolean {
  const diff = (seq - last) >>> 0;
  return diff !== 0 && diff < 0x8000_0000;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
