import { describe, expect, it } from 'vitest';
import { applyAnchor, type Mark } from '@live-assist/protocol';
import { compose, regionOf } from './geometry';

const aspect = 16 / 9;
const mark = (tool: Mark['tool'], points: Mark['points']): Mark => ({
  id: 'm',
  author: 'specialist',
  tool,
  color: '#ff1f1f',
  width: 6,
  points,
  stillId: null,
  done: true,
  anchored: true,
  version: 1,
});

describe('anchored mark geometry', () => {
  it('composes a pin’s place with what the tracker measured since, as applying one after the other', () => {
    const first = { a: 0.9, b: 0.2, tx: 0.05, ty: -0.1 };
    const second = { a: 1.1, b: -0.3, tx: -0.02, ty: 0.07 };
    const p: [number, number] = [0.3, 0.6];
    const stepwise = applyAnchor(second, applyAnchor(first, p, aspect), aspect);
    const once = applyAnchor(compose(second, first), p, aspect);
    expect(once[0]).toBeCloseTo(stepwise[0], 10);
    expect(once[1]).toBeCloseTo(stepwise[1], 10);
  });

  it('tracks a rectangle’s inside, an arrow’s tip, a freehand mark’s box with room around it', () => {
    const identity = { a: 1, b: 0, tx: 0, ty: 0 };
    const inside = regionOf(
      mark('rectangle', [
        [0.4, 0.3],
        [0.5, 0.5],
      ]),
      identity,
      aspect,
    );
    for (const [got, want] of [
      [inside.x, 0.4],
      [inside.y, 0.3],
      [inside.width, 0.1],
      [inside.height, 0.2],
    ] as const)
      expect(got).toBeCloseTo(want, 10);
    const tip = regionOf(
      mark('arrow', [
        [0.1, 0.1],
        [0.6, 0.5],
      ]),
      identity,
      aspect,
    );
    expect(tip.x + tip.width / 2).toBeCloseTo(0.6);
    expect(tip.y + tip.height / 2).toBeCloseTo(0.5);
    const loop = regionOf(
      mark('freehand', [
        [0.4, 0.4],
        [0.5, 0.45],
        [0.45, 0.5],
      ]),
      identity,
      aspect,
    );
    expect(loop.x).toBeLessThan(0.4);
    expect(loop.x + loop.width).toBeGreaterThan(0.5);
  });

  it('follows a moved mark and stays on the frame near its edge', () => {
    const moved = regionOf(
      mark('rectangle', [
        [0.8, 0.8],
        [0.95, 0.95],
      ]),
      { a: 1, b: 0, tx: 0.1, ty: 0 },
      aspect,
    );
    expect(moved.x + moved.width).toBeLessThanOrEqual(1);
    expect(moved.x).toBeCloseTo(0.85);
  });
});
