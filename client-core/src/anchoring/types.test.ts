import { describe, expect, it } from 'vitest';
import { applySimilarity, composeSimilarity, invertSimilarity, similarityToPixelMatrix, type Similarity } from './types.js';

describe('Similarity on a frame that is not square', () => {
  const W = 1280;
  const H = 720;
  const aspect = W / H;
  // 90° on screen about the frame's centre: in width units the centre is (0.5, 0.5 / aspect).
  const c = { u: 0.5, v: 0.5 / aspect };
  const quarter: Similarity = { a: 0, b: 1, tx: c.u + c.v, ty: c.v - c.u };

  it('turns a point about the centre as the screen shows it, not in stretched coordinates', () => {
    // 160 px right of the centre → 160 px below it.
    const p = applySimilarity(quarter, { x: (640 + 160) / W, y: 0.5 }, aspect);
    expect(p.x * W).toBeCloseTo(640, 6);
    expect(p.y * H).toBeCloseTo(360 + 160, 6);
  });

  it('draws the same in pixels of a displayed frame of any width', () => {
    const s: Similarity = { a: 0.9, b: 0.2, tx: 0.05, ty: -0.03 };
    const [a, b, cc, d, e, f] = similarityToPixelMatrix(s, 390);
    const shown = { x: 100, y: 150 };
    const n = applySimilarity(s, { x: shown.x / 390, y: shown.y / (390 / aspect) }, aspect);
    expect(a * shown.x + cc * shown.y + e).toBeCloseTo(n.x * 390, 6);
    expect(b * shown.x + d * shown.y + f).toBeCloseTo(n.y * (390 / aspect), 6);
  });

  it('composes and inverts', () => {
    const s: Similarity = { a: 1.1, b: -0.3, tx: 0.2, ty: 0.1 };
    const back = composeSimilarity(invertSimilarity(s), s);
    expect(back.a).toBeCloseTo(1, 9);
    expect(back.b).toBeCloseTo(0, 9);
    expect(back.tx).toBeCloseTo(0, 9);
    expect(back.ty).toBeCloseTo(0, 9);
  });
});
