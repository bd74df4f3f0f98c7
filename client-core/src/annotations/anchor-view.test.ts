import { describe, expect, it } from 'vitest';
import type { Mark } from '@live-assist/protocol';
import { AnnotationModel } from './model.js';
import { LOST_OPACITY, anchorMatrix, anchorStyle } from './anchor-view.js';

const rect: Mark = {
  id: 'r1',
  author: 'specialist',
  tool: 'rectangle',
  color: '#ff1f1f',
  width: 6,
  points: [
    [0.4, 0.4],
    [0.5, 0.5],
  ],
  stillId: null,
  done: true,
  anchored: true,
  version: 0,
};
const shift = (frameTime: number, tx: number, state: 'tracking' | 'lost' = 'tracking') => ({
  type: 'mark-anchor' as const,
  markId: 'r1',
  frameTime,
  transform: { a: 1, b: 0, tx, ty: 0 },
  state,
});

describe('anchored marks in the model', () => {
  it('follow the newest frame whichever way it came; a late copy never moves the mark back', () => {
    let now = 0;
    const model = new AnnotationModel(() => now);
    model.apply({ type: 'annotation-start', mark: rect });
    const moved: string[] = [];
    model.on('anchor', (id) => moved.push(id));
    model.apply(shift(2, 0.2));
    model.apply(shift(1, 0.1)); // a relay copy of an older frame, after the lane's newer one
    expect(model.anchor('r1')?.transform.tx).toBe(0.2);
    expect(moved).toEqual(['r1']);
    now = 500;
    model.apply(shift(3, 0.25, 'lost'));
    now = 900;
    model.apply(shift(4, 0.25, 'lost'));
    // Lost since the first lost update: that is when it faded.
    expect(model.anchor('r1')).toMatchObject({ state: 'lost', at: 500 });
  });

  it('forgets a mark’s anchor when the mark goes, and on a state that no longer has it', () => {
    const model = new AnnotationModel(() => 0);
    model.apply({ type: 'annotation-start', mark: rect });
    model.apply(shift(1, 0.1));
    model.apply({ type: 'annotation-remove', ids: ['r1'] });
    expect(model.anchor('r1')).toBeUndefined();
    model.apply(shift(2, 0.1));
    model.apply({ type: 'annotation-state', state: { marks: [], freeze: null, snapshots: [] } });
    expect(model.anchor('r1')).toBeUndefined();
  });
});

describe('how the overlay draws an anchored mark', () => {
  const frame = { width: 640, height: 360 };

  it('stays where drawn until its first update, moves in frame pixels, fades when lost', () => {
    expect(anchorStyle(undefined, frame)).toEqual({ transform: null, opacity: null, state: 'pending' });
    const tracking = anchorStyle({ frameTime: 1, at: 0, state: 'tracking', transform: { a: 1, b: 0, tx: 0.1, ty: -0.05 } }, frame);
    expect(tracking).toEqual({ transform: 'matrix(1 0 0 1 64 -32)', opacity: null, state: 'tracking' });
    const lost = anchorStyle({ frameTime: 2, at: 0, state: 'lost', transform: { a: 1, b: 0, tx: 0.1, ty: 0 } }, frame);
    expect(lost.opacity).toBe(LOST_OPACITY);
    expect(lost.state).toBe('lost');
  });

  it('turns a quarter turn into a pixel rotation that keeps right angles on a wide frame', () => {
    // (X, Y) → (−Y, X) in pixels: matrix(a b c d e f) with a=0, b=1, c=−1, d=0.
    expect(anchorMatrix({ a: 0, b: 1, tx: 0, ty: 0 }, frame)).toBe('matrix(0 1 -1 0 0 0)');
  });
});
