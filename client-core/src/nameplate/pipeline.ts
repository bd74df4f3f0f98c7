import type { PSM } from 'tesseract.js';
import { parseNameplate } from './parse.js';
import { crop, preparePlate, toGray, toPgm, toRgba, type PrepareOptions } from './preprocess.js';
import type { Box, DecodedCode, NameplateReading, OcrLine, Pixels } from './types.js';

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

export type PipelineOptions = PrepareOptions & { now?: () => number };

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
  const prepared = preparePlate(image, box, options);
  const lines = await engines.recognize(toPgm(prepared.image));
  const kept = lines.map((l) => ({ text: l.text.trim(), confidence: l.confidence })).filter((l) => l.text.length > 0);
  return {
    fields: parseNameplate(kept, codes),
    text: kept.map((l) => l.text).join('\n'),
    codes,
    ms: Math.round(now() - started),
  };
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
