import type { CSSProperties } from 'react';

const FALLBACK = '#2563eb';

function parseHex(color: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m?.[1]) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * CSS variables for the company's colour. Text on it is white or near-black, whichever reads
 * better; a colour we cannot parse falls back rather than breaking the page.
 */
export function brandStyle(primaryColor: string | undefined): CSSProperties {
  const rgb = (primaryColor && parseHex(primaryColor)) || parseHex(FALLBACK);
  if (!rgb) return {};
  const brand = `rgb(${rgb.join(' ')})`;
  const onBrand = luminance(rgb) > 0.45 ? '#111827' : '#ffffff';
  return {
    '--brand': brand,
    '--brand-soft': `rgb(${rgb.join(' ')} / 0.12)`,
    '--brand-ring': `rgb(${rgb.join(' ')} / 0.35)`,
    '--on-brand': onBrand,
  } as CSSProperties;
}
