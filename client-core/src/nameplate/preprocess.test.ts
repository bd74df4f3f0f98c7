import { describe, expect, it } from 'vitest';
import {
  binarize,
  clampBox,
  crop,
  estimateGlyphHeight,
  estimateSkew,
  preparePlate,
  removeLargeComponents,
  rotate,
  toGray,
  toPgm,
  upscale,
  type Gray,
} from './preprocess.js';

/** White ground with `lines` black bars, like text lines (with gaps, like words). */
function bars(width: number, height: number, lines: number, barHeight: number): Gray {
  const data = new Uint8Array(width * height).fill(235);
  const pitch = Math.floor(height / (lines + 1));
  for (let l = 1; l <= lines; l += 1) {
    const top = l * pitch - Math.floor(barHeight / 2);
    for (let y = top; y < top + barHeight; y += 1) {
      for (let x = Math.floor(width * 0.1); x < width * 0.9; x += 1) if (Math.floor(x / 23) % 4 !== 3) data[y * width + x] = 30;
    }
  }
  return { width, height, data };
}

const inkRows = (g: Gray) => {
  const rows: number[] = [];
  for (let y = 0; y < g.height; y += 1) {
    let n = 0;
    for (let x = 0; x < g.width; x += 1) if (g.data[y * g.width + x]! < 128) n += 1;
    rows.push(n);
  }
  return rows;
};

describe('nameplate preprocessing', () => {
  it.each([-12, -7, -3, 4, 9, 14])('levels bars turned by %i° to within 1°', (degrees) => {
    const level = bars(500, 300, 6, 10);
    const turned = rotate(level, degrees);
    // The estimate is the turn that levels the picture: the opposite of how it was turned.
    expect(Math.abs(estimateSkew(turned) + degrees)).toBeLessThanOrEqual(1);
  });

  it('finds no slant in level text', () => {
    expect(Math.abs(estimateSkew(bars(500, 300, 6, 10)))).toBeLessThanOrEqual(0.5);
  });

  it('rotate(image, estimateSkew(image)) gives sharp rows again', () => {
    const turned = rotate(bars(500, 300, 5, 10), 8);
    const fixed = rotate(turned, estimateSkew(turned));
    // Level bars: some rows hold most of a bar's width of ink; a turned bar spreads over many rows.
    expect(Math.max(...inkRows(fixed))).toBeGreaterThan(Math.max(...inkRows(turned)) * 2);
  });

  it('measures the height of the glyphs', () => {
    expect(estimateGlyphHeight(bars(400, 300, 5, 12))).toBeGreaterThanOrEqual(11);
    expect(estimateGlyphHeight(bars(400, 300, 5, 12))).toBeLessThanOrEqual(14);
  });

  it('keeps text under a highlight: ink stays black where the ground is almost white', () => {
    const g = bars(400, 200, 3, 12);
    // A lamp's glare on the right half: ink 180 on 245 (a global threshold puts both on one side).
    for (let y = 0; y < g.height; y += 1) for (let x = 200; x < 400; x += 1) g.data[y * 400 + x] = g.data[y * 400 + x]! < 128 ? 180 : 245;
    const b = binarize(g, 20);
    const row = Math.floor(200 / 4) * 400;
    expect(b.data[row + 300]).toBe(0); // ink under the glare
    expect(b.data[row + 100]).toBe(0); // ink in the shade
    expect(b.data[10 * 400 + 300]).toBe(255); // ground
  });

  it('clears a frame no glyph could be, and keeps the glyphs inside', () => {
    const g = { width: 100, height: 60, data: new Uint8Array(6000).fill(255) };
    for (let x = 0; x < 100; x += 1) g.data[x] = g.data[59 * 100 + x] = 0;
    for (let y = 0; y < 60; y += 1) g.data[y * 100] = g.data[y * 100 + 99] = 0;
    for (let y = 25; y < 35; y += 1) for (let x = 40; x < 46; x += 1) g.data[y * 100 + x] = 0;
    const out = removeLargeComponents(g, 60, 25);
    expect(out.data[0]).toBe(255);
    expect(out.data[30 * 100 + 42]).toBe(0);
  });

  it('upscales by the factor, bilinear', () => {
    const g = { width: 2, height: 1, data: Uint8Array.from([0, 200]) };
    const up = upscale(g, 2);
    expect([up.width, up.height]).toEqual([4, 2]);
    expect(up.data[0]).toBe(0);
    expect(up.data[3]).toBe(200);
    expect(up.data[1]).toBeGreaterThan(0);
    expect(up.data[1]).toBeLessThan(200);
  });

  it('crops to a box clamped to the image, from RGBA', () => {
    const rgba = new Uint8ClampedArray(4 * 4 * 4);
    rgba.set([255, 255, 255, 255], (1 * 4 + 2) * 4);
    const g = crop(toGray({ width: 4, height: 4, data: rgba }), { x: 2, y: 1, width: 10, height: 1 });
    expect([g.width, g.height]).toEqual([2, 1]);
    expect(g.data[0]).toBeGreaterThan(250);
    expect(clampBox({ x: -5, y: -5, width: 3, height: 3 }, 10, 10)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });

  it('prepares a small, turned crop: level, scaled up, black on white', () => {
    const small = rotate(bars(240, 140, 4, 6), 6);
    const rgba = new Uint8ClampedArray(small.width * small.height * 4);
    small.data.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const p = preparePlate({ width: small.width, height: small.height, data: rgba }, { x: 0, y: 0, width: 240, height: 140 });
    expect(Math.abs(p.angle + 6)).toBeLessThanOrEqual(1);
    expect(p.scale).toBeGreaterThanOrEqual(2);
    expect(p.image.width).toBe(Math.round(240 * p.scale));
    expect(new Set(p.image.data)).toEqual(new Set([0, 255]));
  });

  it('writes a PGM Tesseract can read', () => {
    const pgm = toPgm({ width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect(new TextDecoder().decode(pgm.subarray(0, 11))).toBe('P5\n3 2\n255\n');
    expect([...pgm.subarray(11)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
