import { describe, expect, it } from 'vitest';
import { accessibleBrand, brandStyle, contrast } from './brand.js';

describe('brand colours', () => {
  it('darkens a brand colour too light for white text until it reads (WCAG AA)', () => {
    const wilo: [number, number, number] = [0x00, 0x9c, 0x82];
    expect(contrast(wilo, [255, 255, 255])).toBeLessThan(4.5);
    const strong = accessibleBrand(wilo);
    expect(contrast(strong, [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(strong, [0xf5, 0xf6, 0xf8])).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps a dark brand colour as it is', () => {
    expect(accessibleBrand([0x1e, 0x3a, 0x8a])).toEqual([0x1e, 0x3a, 0x8a]);
    expect(brandStyle('#1e3a8a')).toMatchObject({ '--brand': 'rgb(30 58 138)', '--on-brand': '#ffffff' });
  });

  it('falls back to a neutral dark colour (not a stock blue) before the invite loads or for a colour it cannot parse', () => {
    const neutral = { '--brand': 'rgb(30 41 59)', '--on-brand': '#ffffff' };
    expect(brandStyle(undefined)).toMatchObject(neutral);
    expect(brandStyle('red; background: url(x)')).toMatchObject(neutral);
    expect(contrast([30, 41, 59], [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
    expect(contrast([30, 41, 59], [0xf5, 0xf6, 0xf8])).toBeGreaterThanOrEqual(4.5);
  });
});
