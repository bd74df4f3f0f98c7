import { describe, expect, it } from 'vitest';
import { clientToFrame, contentBox, frameToClient, Fit } from './mapping.js';

const frame = { width: 1280, height: 720 };

describe('frame ⇄ screen mapping', () => {
  it('letterboxes with contain and crops with cover', () => {
    // A 1000x1000 box: contain leaves bars above and below, cover cuts the sides.
    expect(contentBox({ left: 0, top: 0, width: 1000, height: 1000 }, frame, Fit.contain)).toEqual({
      left: 0,
      top: 218.75,
      width: 1000,
      height: 562.5,
    });
    const cover = contentBox({ left: 0, top: 0, width: 390, height: 844 }, frame, Fit.cover);
    expect(cover.height).toBe(844);
    expect(cover.left).toBeCloseTo((390 - 1280 * (844 / 720)) / 2);
  });

  it('maps a screen point back to the same frame fraction, mirrored or not', () => {
    const box = { left: 10, top: 20, width: 390, height: 844 };
    for (const mirrored of [false, true]) {
      const screen = frameToClient([0.42, 0.61], box, frame, Fit.cover, mirrored);
      const back = clientToFrame(screen.x, screen.y, box, frame, Fit.cover, mirrored);
      expect(back.point[0]).toBeCloseTo(0.42, 4);
      expect(back.point[1]).toBeCloseTo(0.61, 4);
      expect(back.inside).toBe(true);
    }
    // Mirroring flips left and right on screen.
    expect(frameToClient([0.2, 0.5], box, frame, Fit.cover, true).x).toBeCloseTo(frameToClient([0.8, 0.5], box, frame, Fit.cover, false).x);
  });

  it('clamps points on the letterbox bars to the picture edge and says they were outside', () => {
    const box = { left: 0, top: 0, width: 1000, height: 1000 };
    const hit = clientToFrame(500, 100, box, frame, Fit.contain);
    expect(hit).toEqual({ point: [0.5, 0], inside: false });
  });
});
