/** Plain-text tables and figures for the relay load benches. */

/** A table with a header row, columns padded to their widest cell (numbers right-aligned). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[], header = false) =>
    '| ' +
    cells.map((cell, c) => (!header && /^[\d.,\s/–—%×-]+$/.test(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ') +
    ' |';
  return [line(headers, true), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map((r) => line(r))].join('\n');
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** One cell for several processes (two relays): their values joined with " / ". */
export function each(values: readonly number[], digits = 0): string {
  return values.map((v) => fixed(v, digits)).join(' / ');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
