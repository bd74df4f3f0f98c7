import type { DecodedCode } from './types.js';

/** A zxing-wasm read result, as far as the pipeline needs it. */
type ZxingResult = { format: string; text: string; isValid: boolean };

/** zxing-wasm results to the reading's codes: the valid ones, each once. */
export function codesFromZxing(results: readonly ZxingResult[]): DecodedCode[] {
  const seen = new Set<string>();
  const out: DecodedCode[] = [];
  for (const r of results) {
    const key = `${r.format}\u0000${r.text}`;
    if (!r.isValid || r.text.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push({ format: r.format, text: r.text });
  }
  return out;
}

/** The files the relay serves under its OCR asset prefix; the worker asks for nothing else. */
export const OCR_LANGUAGES = ['eng', 'deu', 'bul'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];
