import type { CSSProperties } from 'react';

/**
 * Before the invite has loaded (or when its colour is unusable) the company's colour is unknown:
 * a neutral near-black (slate 800) instead of a stock blue, so pre-invite screens (loading, "we
 * couldn't load the call") don't flash a colour that matches no company. 14:1 on white.
 */
const FALLBACK = '#1e293b';
/** The page background (base.css `--bg`): the lightest surface brand-coloured text sits on. */
const PAGE_BG: Rgb = [0xf5, 0xf6, 0xf8];
const WHITE: Rgb = [255, 255, 255];
/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;

type Rgb = [number, number, number];

function parseHex(color: string): Rgb | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m?.[1]) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The brand hue, darkened just enough that white text on it and it as text on the page read (AA). */
export function accessibleBrand(rgb: Rgb): Rgb {
  let color = rgb;
  for (let i = 0; i < 40 && (contrast(color, WHITE) < MIN_CONTRAST || contrast(color, PAGE_BG) < MIN_CONTRAST); i++) {
    color = color.map((c) => Math.round(c * 0.95)) as Rgb;
  }
  return color;
}

/**
 * CSS variables for the company's colour. The configured colour is kept for soft tints; buttons,
 * links and labels use a darkened shade when the colour itself is too light to read (a light brand
 * colour with white button text fails WCAG AA otherwise). No colour, or an unparseable one, falls back
 * to the neutral dark default.
 */
export function brandStyle(primaryColor: string | undefined): CSSProperties {
  const configured = (primaryColor && parseHex(primaryColor)) || parseHex(FALLBACK);
  if (!configured) return {};
  const strong = accessibleBrand(configured);
  const rgb = (c: Rgb) => c.join(' ');
  return {
    '--brand': `rgb(${rgb(strong)})`,
    '--brand-soft': `rgb(${rgb(configured)} / 0.12)`,
    '--brand-ring': `rgb(${rgb(configured)} / 0.35)`,
    '--on-brand': '#ffffff',
  } as CSSProperties;
}
