/**
 * Nameplate reading: generated plates (tests/support/nameplate-image.ts) at three distortion
 * levels, read by the console's pipeline in Node (preprocess → codes → OCR → parse) with the box
 * known. Per level: character accuracy over model+serial+date and over all lines, field exact-match
 * rate, time per read p50/p95.
 *
 * The raw limit in the same run: plain tesseract.js (same languages, same engine instance) on the
 * same crop with no preprocessing, parsed the same way, so the preprocessing's gain shows.
 * `PLATES` per level (default 17), `LEVELS` (default mild,medium,strong), `SEED` (default 1).
 */
import sharp from 'sharp';
import { crop, toGray, toPgm } from '../../client-core/src/nameplate/preprocess.js';
import { parseNameplate } from '../../client-core/src/nameplate/parse.js';
import { createNodeNameplateReader } from '../../client-core/src/nameplate/node.js';
import type { NameplateReading } from '../../client-core/src/nameplate/types.js';
import { pngPixels, randomPlateSpec, renderPlate, type DistortionLevel, type PlateTruth } from '../../tests/support/nameplate-image.js';
import { percentile } from '../stats.js';

const PLATES = Number(process.env.PLATES ?? 17);
const LEVELS = (process.env.LEVELS ?? 'mild,medium,strong').split(',') as DistortionLevel[];
const SEED = Number(process.env.SEED ?? 1);
const VERBOSE = process.env.OCR_VERBOSE === '1';
// Plate numbers to run alone (debugging one plate): `ONLY=4,7`.
// The preprocessing to measure: auto (the product's default: stretch, then a local threshold when
// unsure), or one pass of none (stretch only), soft or hard thresholding.
const THRESHOLD = (process.env.OCR_THRESHOLD ?? 'auto') as 'auto' | 'hard' | 'soft' | 'none';
const ONLY = new Set((process.env.ONLY ?? '').split(',').filter(Boolean).map(Number));

export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Total edits and characters, so accuracy is 1 − edits / characters over a whole level. */
type Tally = { edits: number; chars: number };
const add = (t: Tally, truth: string, got: string) => {
  t.edits += Math.min(truth.length, levenshtein(truth, got));
  t.chars += truth.length;
};
const accuracy = (t: Tally) => (t.chars === 0 ? Number.NaN : 1 - t.edits / t.chars);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Lines: the best-matching OCR line for each true line (OCR may split or reorder columns). */
function scoreLines(t: Tally, truth: string[], text: string): void {
  const got = text.split('\n');
  for (const line of truth) {
    const best = Math.min(line.length, ...got.map((g) => levenshtein(line, g.trim())));
    t.edits += best;
    t.chars += line.length;
  }
}

type Side = { fields: Tally; lines: Tally; exact: number; total: number; ms: number[] };
const side = (): Side => ({ fields: { edits: 0, chars: 0 }, lines: { edits: 0, chars: 0 }, exact: 0, total: 0, ms: [] });

function score(s: Side, truth: PlateTruth, reading: Pick<NameplateReading, 'fields' | 'text'>, ms: number): void {
  for (const field of ['model', 'serial', 'date'] as const) {
    const got = reading.fields[field]?.value ?? '';
    add(s.fields, truth[field], got);
    s.total += 1;
    if (got === truth[field]) s.exact += 1;
  }
  scoreLines(s.lines, truth.lines, reading.text);
  s.ms.push(ms);
}

async function main(): Promise<void> {
  const reader = await createNodeNameplateReader();
  console.log(`plates: ${PLATES} per level, levels ${LEVELS.join(', ')}, seed ${SEED}; languages eng+deu+bul; threshold ${THRESHOLD}`);
  console.log(
    'level    | product: fields chars  lines chars  exact  p50 / p95 ms | raw: fields chars  lines chars  exact  p50 / p95 ms | gain (fields)',
  );
  let plateNo = 0;
  for (const level of LEVELS) {
    const product = side();
    const raw = side();
    for (let i = 0; i < PLATES; i += 1) {
      plateNo += 1;
      if (ONLY.size > 0 && !ONLY.has(plateNo)) continue;
      const seed = SEED * 100_000 + plateNo;
      const spec = randomPlateSpec(seed);
      // Plates photographed from near and far: glyphs from about 10 to 25 px tall.
      const plateWidth = 380 + ((seed * 37) % 9) * 60;
      const plate = await renderPlate(spec, { level, seed, plateWidth });
      const pixels = await pngPixels(plate.png);
      const reading = await reader.read(pixels, plate.plateBox, { threshold: THRESHOLD });
      score(product, plate.truth, reading, reading.ms);
      // Raw: the same crop, gray, straight to Tesseract; codes not read (the raw path has none).
      const started = performance.now();
      const lines = await reader.recognizeRaw(toPgm(crop(toGray(pixels), plate.plateBox)));
      const rawMs = performance.now() - started;
      const kept = lines.map((l) => ({ text: l.text.trim(), confidence: l.confidence })).filter((l) => l.text.length > 0);
      score(raw, plate.truth, { fields: parseNameplate(kept, []), text: kept.map((l) => l.text).join('\n') }, rawMs);
      if (VERBOSE) {
        console.log(
          `  #${plateNo} w${plateWidth} ${spec.font} ${spec.background} ${spec.labels} ${spec.code ?? '-'}: ${JSON.stringify(reading.fields)} truth ${JSON.stringify([plate.truth.model, plate.truth.serial, plate.truth.date])}`,
        );
        if (process.env.OCR_VERBOSE_TEXT === '1') console.log(reading.text.replace(/^/gm, '    | '));
      }
    }
    const row = (s: Side) =>
      `${pct(accuracy(s.fields)).padStart(8)}  ${pct(accuracy(s.lines)).padStart(8)}  ${pct(s.exact / s.total).padStart(7)}  ${percentile(s.ms, 50).toFixed(0).padStart(5)} / ${percentile(s.ms, 95).toFixed(0).padStart(5)}`;
    const gain = accuracy(product.fields) - accuracy(raw.fields);
    console.log(`${level.padEnd(8)} | ${row(product)}       | ${row(raw)}    | ${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(1)} pt`);
  }
  console.log('goal: >= 95 % character accuracy (fields) on mild and medium; <= 2000 ms per read');
  await reader.close();
  // sharp keeps a thread pool; the bench is done.
  sharp.cache(false);
}

await main();
