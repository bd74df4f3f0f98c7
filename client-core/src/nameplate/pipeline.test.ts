import { describe, expect, it } from 'vitest';
import { readNameplateWith, type NameplateEngines } from './pipeline.js';
import type { OcrLine } from './types.js';

/** A plain light image: the pipeline's OCR and code engines are stand-ins answering in turn. */
const image = { width: 120, height: 60, data: new Uint8ClampedArray(120 * 60 * 4).fill(220) };
const box = { x: 0, y: 0, width: 120, height: 60 };

function engines(passes: OcrLine[][], codes: { format: string; text: string }[] = []) {
  const seen: Uint8Array[] = [];
  const e: NameplateEngines = {
    decode: () => Promise.resolve(codes),
    recognize: (pgm) => {
      seen.push(pgm);
      return Promise.resolve(passes[seen.length - 1] ?? []);
    },
  };
  return { e, seen };
}

describe('the nameplate pipeline', () => {
  it('reads once when every field is sure', async () => {
    const { e, seen } = engines([
      [
        { text: 'Typ/Type: Stratos PICO 25/1-4', confidence: 0.93 },
        { text: 'S/N 2145 0123456', confidence: 0.95 },
        { text: 'P/C 2145', confidence: 0.9 },
      ],
    ]);
    const r = await readNameplateWith(e, image, box);
    expect(seen).toHaveLength(1);
    expect(r.fields.serial).toEqual({ value: '2145 0123456', confidence: 0.95 });
    expect(r.text).toBe('Typ/Type: Stratos PICO 25/1-4\nS/N 2145 0123456\nP/C 2145');
  });

  it('reads again thresholded when a field is missing or unsure, keeping the better of each', async () => {
    const { e, seen } = engines([
      [
        { text: 'Typ/Type: Strat', confidence: 0.9 },
        { text: 'S/N 2145 0123456', confidence: 0.95 },
      ],
      [
        { text: 'Typ/Type: Stratos PICO 25/1-4', confidence: 0.7 },
        { text: 'S/N 2145 0I23456', confidence: 0.6 },
        { text: 'P/C 2145', confidence: 0.85 },
      ],
    ]);
    const r = await readNameplateWith(e, image, box);
    expect(seen).toHaveLength(2);
    // The completed model beats the cut one; the surer serial stays; the date comes from pass two.
    expect(r.fields.model?.value).toBe('Stratos PICO 25/1-4');
    expect(r.fields.serial).toEqual({ value: '2145 0123456', confidence: 0.95 });
    expect(r.fields.date?.value).toBe('2021-W45');
  });

  it('hands Tesseract a PGM and reports the codes it found', async () => {
    const { e, seen } = engines([[{ text: 'S/N 1', confidence: 0.9 }]], [{ format: 'QRCode', text: 'S/N: 1933 7654321' }]);
    const r = await readNameplateWith(e, image, box, { threshold: 'hard' });
    expect(new TextDecoder().decode(seen[0]!.subarray(0, 2))).toBe('P5');
    expect(r.codes).toEqual([{ format: 'QRCode', text: 'S/N: 1933 7654321' }]);
    expect(r.fields.serial).toEqual({ value: '1933 7654321', confidence: 1 });
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });
});
