/** The fields the console fills from a nameplate; the specialist can correct each. */
export const NameplateField = { model: 'model', serial: 'serial', date: 'date' } as const;
export type NameplateField = (typeof NameplateField)[keyof typeof NameplateField];

/** One field's reading: confidence 0..1 (1 when it came from a decoded code). */
export type FieldReading = { value: string; confidence: number };

export type DecodedCode = { format: string; text: string };

export type NameplateReading = {
  fields: Record<NameplateField, FieldReading | null>;
  /** The full OCR text, one plate line per line. */
  text: string;
  codes: DecodedCode[];
  /** Wall time of the read, in milliseconds. */
  ms: number;
};

/** A rectangle in image pixels. */
export type Box = { x: number; y: number; width: number; height: number };

/** Raw pixels: one byte per pixel (gray) or four (RGBA, as ImageData), row by row. */
export type Pixels = { width: number; height: number; data: Uint8Array | Uint8ClampedArray };

/** What OCR hands the parser: each line with Tesseract's confidence scaled to 0..1. */
export type OcrLine = { text: string; confidence: number };
