import { describe, expect, it } from 'vitest';
import { PEER_POINTER_BYTES, decodePeerPointer, encodePeerPointer, pointerSeqNewer } from './peer-pointer.js';

describe('peer pointer messages', () => {
  it('carry a position to within 1/65535 of the frame, and a hide, in nine bytes', () => {
    const bytes = encodePeerPointer({ seq: 4_000_000_000, point: [0.123456, 0.987654] });
    expect(bytes.byteLength).toBe(PEER_POINTER_BYTES);
    const back = decodePeerPointer(bytes.buffer as ArrayBuffer);
    expect(back?.seq).toBe(4_000_000_000);
    expect(Math.abs(back!.point![0] - 0.123456)).toBeLessThan(1 / 65535);
    expect(Math.abs(back!.point![1] - 0.987654)).toBeLessThan(1 / 65535);
    expect(decodePeerPointer(encodePeerPointer({ seq: 7, point: null }))).toEqual({ seq: 7, point: null });
    // The frame's corners survive exactly.
    expect(decodePeerPointer(encodePeerPointer({ seq: 1, point: [0, 1] }))?.point).toEqual([0, 1]);
  });

  it('refuse what is not one: wrong length, unknown kind', () => {
    expect(decodePeerPointer(new Uint8Array(8))).toBeNull();
    expect(decodePeerPointer(new Uint8Array(10))).toBeNull();
    const bad = encodePeerPointer({ seq: 1, point: [0.5, 0.5] });
    bad[0] = 9;
    expect(decodePeerPointer(bad)).toBeNull();
  });

  it('order by seq across the 32-bit wrap', () => {
    expect(pointerSeqNewer(11, 10)).toBe(true);
    expect(pointerSeqNewer(10, 10)).toBe(false);
    expect(pointerSeqNewer(9, 10)).toBe(false);
    expect(pointerSeqNewer(2, 0xffff_fffe)).toBe(true);
    expect(pointerSeqNewer(0xffff_fffe, 2)).toBe(false);
  });
});
