import { describe, expect, it } from 'vitest';
import { isDroppable } from '../droppable.js';
import { ClientToRelaySchema, RelayToClientSchema } from '../messages.js';
import { decodePeerPointer, encodePeerPointer } from './peer-pointer.js';
import { applyAnchor, anchorNewer, decodePeerAnchor, encodePeerAnchor, type MarkAnchor } from './anchors.js';

const update = (over: Partial<MarkAnchor> = {}): MarkAnchor => ({
  type: 'mark-anchor',
  markId: 'mark-1',
  frameTime: 12.345,
  transform: { a: 1.1, b: -0.2, tx: 0.25, ty: -0.125 },
  state: 'tracking',
  ...over,
});

describe('anchor updates', () => {
  it('are accepted both ways with finite numbers and a sane scale', () => {
    expect(ClientToRelaySchema.safeParse(update()).success).toBe(true);
    expect(RelayToClientSchema.safeParse(update({ state: 'lost' })).success).toBe(true);
  });

  it('refuse NaN, infinities, a collapsed or exploded scale and far-off shifts', () => {
    const bad = [
      update({ frameTime: Number.NaN }),
      update({ frameTime: -1 }),
      update({ transform: { a: Number.NaN, b: 0, tx: 0, ty: 0 } }),
      update({ transform: { a: Number.POSITIVE_INFINITY, b: 0, tx: 0, ty: 0 } }),
      update({ transform: { a: 0.01, b: 0.01, tx: 0, ty: 0 } }),
      update({ transform: { a: 9, b: 9, tx: 0, ty: 0 } }),
      update({ transform: { a: 1, b: 0, tx: 3, ty: 0 } }),
      { ...update(), state: 'gone' },
      { ...update(), markId: 'no spaces' },
    ];
    for (const frame of bad) expect(ClientToRelaySchema.safeParse(frame).success, JSON.stringify(frame)).toBe(false);
  });

  it('move a point by scale, rotation and shift, a right angle staying right on a wide frame', () => {
    const aspect = 16 / 9;
    const [sx, sy] = applyAnchor({ a: 1, b: 0, tx: 0.1, ty: -0.2 }, [0.5, 0.5], aspect);
    expect(sx).toBeCloseTo(0.6);
    // ty is a fraction of the width: 0.2 widths is 0.2·aspect heights.
    expect(sy).toBeCloseTo(0.5 - 0.2 * aspect);
    const [zx, zy] = applyAnchor({ a: 2, b: 0, tx: 0, ty: 0 }, [0.25, 0.25], aspect);
    expect(zx).toBeCloseTo(0.5);
    expect(zy).toBeCloseTo(0.5);
    // A quarter turn about the origin: (0.5, 0) goes to (0, 0.5·aspect) in frame fractions.
    const [x, y] = applyAnchor({ a: 0, b: 1, tx: 0, ty: 0 }, [0.5, 0], aspect);
    expect(x).toBeCloseTo(0);
    expect(y).toBeCloseTo(0.5 * aspect);
  });

  it('only replace an older frame of the same mark', () => {
    expect(anchorNewer({ frameTime: 2 }, undefined)).toBe(true);
    expect(anchorNewer({ frameTime: 2 }, { frameTime: 1 })).toBe(true);
    expect(anchorNewer({ frameTime: 1 }, { frameTime: 2 })).toBe(false);
    expect(anchorNewer({ frameTime: 2 }, { frameTime: 2 })).toBe(false);
  });

  it('may be dropped under load while tracking, never when the object is lost', () => {
    expect(isDroppable(update())).toBe(true);
    expect(isDroppable(update({ state: 'lost' }))).toBe(false);
  });
});

describe('anchor updates on the pointer lane', () => {
  it('round-trip to float32 precision and are told apart from pointer messages', () => {
    const bytes = encodePeerAnchor(update({ state: 'lost' }));
    const back = decodePeerAnchor(bytes);
    expect(back?.markId).toBe('mark-1');
    expect(back?.state).toBe('lost');
    expect(back?.frameTime).toBe(12.345);
    expect(back?.transform.a).toBeCloseTo(1.1, 6);
    expect(back?.transform.ty).toBeCloseTo(-0.125, 6);
    expect(decodePeerPointer(bytes)).toBeNull();
    expect(decodePeerAnchor(encodePeerPointer({ seq: 1, point: [0.5, 0.5] }))).toBeNull();
  });

  it('drop a truncated message or one whose values fail the schema', () => {
    const bytes = encodePeerAnchor(update());
    expect(decodePeerAnchor(bytes.slice(0, bytes.length - 1))).toBeNull();
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(10, Number.NaN);
    expect(decodePeerAnchor(nan)).toBeNull();
    const badState = bytes.slice();
    badState[1] = 7;
    expect(decodePeerAnchor(badState)).toBeNull();
  });
});
