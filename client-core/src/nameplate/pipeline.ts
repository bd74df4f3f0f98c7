import type { PSM } from 'tesseract.js';
import { parseNameplate, type NameplateFields } from './parse.js';
import { crop, preparePlate, toGray, toPgm, toRgba, type PrepareOptions } from './preprocess.js';
import type { Box, DecodedCode, FieldReading, NameplateField, NameplateReading, OcrLine, Pixels } from './types.js';

/**
 * The engines the pipeline drives, so the browser's worker and the bench's Node process run the
 * very same steps: zxing-wasm for codes, tesseract.js for text.
 */
export type NameplateEngines = {
  /** Codes in an RGBA image (ImageData's layout). */
  decode(image: { width: number; height: number; data: Uint8ClampedArray }): Promise<DecodedCode[]>;
  /** Text lines in an encoded image (a PGM). */
  recognize(image: Uint8Array): Promise<OcrLine[]>;
};

/**
 * `threshold`: 'auto' (default) reads the contrast-stretched crop and, when a field is missing or
 * unsure, reads it again binarised and keeps the surer reading of each field; one of
 * 'none' | 'soft' | 'hard' reads once with that preprocessing (the bench compares them).
 */
export type PipelineOptions = Omit<PrepareOptions, 'binarize'> & {
  threshold?: 'auto' | NonNullable<PrepareOptions['binarize']>;
  now?: () => number;
};

/** A field under this confidence is read again from the binarised crop. */
const SURE = 0.8;

type Pass = { lines: OcrLine[]; fields: NameplateFields };

function meanConfidence(lines: OcrLine[]): number {
  return lines.length === 0 ? 0 : lines.reduce((sum, l) => sum + l.confidence, 0) / lines.length;
}

/**
 * Whether reading `b` beats `a`: a value that completes the other (glare cut "Stratos PICO 25/1-4"
 * to "Strat") wins whatever the confidences; otherwise the surer one.
 */
function better(b: FieldReading, a: FieldReading): boolean {
  if (b.value.length > a.value.length && b.value.startsWith(a.value)) return true;
  if (a.value.length > b.value.length && a.value.startsWith(b.value)) return false;
  return b.confidence > a.confidence;
}

/** Codes first (on the plain crop, zxing binarises itself), then OCR on the prepared crop. */
export async function readNameplateWith(
  engines: NameplateEngines,
  image: Pixels,
  box: Box,
  options: PipelineOptions = {},
): Promise<NameplateReading> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const plain = crop(toGray(image), box);
  const codes = await engines.decode({ width: plain.width, height: plain.height, data: toRgba(plain) }).catch(() => []);
  const threshold = options.threshold ?? 'auto';
  const pass = async (binarize: NonNullable<PrepareOptions['binarize']>): Promise<Pass> => {
    const prepared = preparePlate(image, box, { ...options, binarize });
    const lines = (await engines.recognize(toPgm(prepared.image)))
      .map((l) => ({ text: l.text.trim(), confidence: l.confidence }))
      .filter((l) => l.text.length > 0);
    return { lines, fields: parseNameplate(lines, codes) };
  };
  let best = await pass(threshold === 'auto' ? 'none' : threshold);
  const unsure = (p: Pass) => Object.values(p.fields).some((f) => f === null || f.confidence < SURE);
  if (threshold === 'auto' && unsure(best)) {
    // Glare, shadow or blur: the local threshold often recovers what the stretch lost.
    const second = await pass('soft');
    const fields = { ...best.fields };
    for (const key of Object.keys(fields) as NameplateField[]) {
      const a = best.fields[key];
      const b = second.fields[key];
      if (b && (!a || better(b, a))) fields[key] = b;
    }
    best = { lines: meanConfidence(second.lines) > meanConfidence(best.lines) ? second.lines : best.lines, fields };
  }
  return { fields: best.fields, text: best.lines.map((l) => l.text).join('\n'), codes, ms: Math.round(now() - started) };
}

/** Tesseract's block tree (the `blocks` output) to lines with 0..1 confidence. */
export type TesseractBlocks = {
  paragraphs: { lines: { text: string; confidence: number }[] }[];
}[];

export function linesFromBlocks(blocks: TesseractBlocks | null | undefined): OcrLine[] {
  const out: OcrLine[] = [];
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines)
        out.push({ text: line.text.replace(/\n$/u, ''), confidence: Math.max(0, Math.min(1, line.confidence / 100)) });
    }
  }
  return out;
}

/** Tesseract's PSM.AUTO ('3'), spelt out: the enum lives in tesseract.js, which only the worker loads. */
const PSM_AUTO = '3' as PSM;

/**
 * Tesseract settings for plates: automatic page layout (plates mix columns and lines), spaces kept
 * as printed so a wide gap separates two fields on one line.
 */
export const TESSERACT_PARAMETERS = {
  tessedit_pageseg_mode: PSM_AUTO,
  preserve_interword_spaces: '1',
  // A PGM carries no resolution; without one Tesseract guesses (and logs each guess).
  user_defined_dpi: '300',
};

/** Barcode formats that nameplates carry. */
export const CODE_FORMATS = ['QRCode', 'DataMatrix', 'MicroQRCode', 'Code128'] as const;
