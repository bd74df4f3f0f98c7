import { z } from 'zod';
import type { OcrLanguage } from './engines.js';
import { clampBox } from './preprocess.js';
import { NameplateField, type Box, type NameplateReading } from './types.js';

export type NameplateReaderOptions = {
  /** URL prefix where the relay serves the OCR assets, e.g. `${relay}/ocr/`. */
  assetBase: string;
  /** Tesseract's languages; default English, German and Bulgarian. */
  languages?: OcrLanguage[];
};

export type NameplateReader = {
  /** Reads the box of a still (image pixels). The first read loads the engines (a few MB). */
  read(image: ImageBitmap | ImageData, box: Box): Promise<NameplateReading>;
  /** Ends the worker; pending reads fail. */
  close(): void;
};

const field = z.object({ value: z.string(), confidence: z.number().min(0).max(1) }).nullable();
const reply = z.union([
  z.object({
    id: z.number(),
    reading: z.object({
      fields: z.object({ [NameplateField.model]: field, [NameplateField.serial]: field, [NameplateField.date]: field }),
      text: z.string(),
      codes: z.array(z.object({ format: z.string(), text: z.string() })),
      ms: z.number(),
    }),
  }),
  z.object({ id: z.number(), error: z.string() }),
]);

/** The box's pixels only: a full-resolution still is large, and the worker needs just the plate. */
async function cropForWorker(image: ImageBitmap | ImageData, box: Box): Promise<{ message: object; transfer: Transferable[] }> {
  const b = clampBox(box, image.width, image.height);
  const local = { x: 0, y: 0, width: b.width, height: b.height };
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) {
    const bitmap = await createImageBitmap(image, b.x, b.y, b.width, b.height);
    return { message: { bitmap, box: local }, transfer: [bitmap] };
  }
  const source = image as ImageData;
  const data = new Uint8ClampedArray(b.width * b.height * 4);
  for (let y = 0; y < b.height; y += 1) {
    const from = ((b.y + y) * source.width + b.x) * 4;
    data.set(source.data.subarray(from, from + b.width * 4), y * b.width * 4);
  }
  return { message: { image: { width: b.width, height: b.height, data }, box: local }, transfer: [data.buffer] };
}

/**
 * Local nameplate reading for the console: codes (QR, DataMatrix) and OCR in a Web Worker, with
 * every engine file from the relay (`assetBase`), none from a CDN.
 */
export function createNameplateReader(options: NameplateReaderOptions): NameplateReader {
  const languages = options.languages ?? ['eng', 'deu', 'bul'];
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: NameplateReading) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'nameplate' });
    w.onmessage = (event: MessageEvent) => {
      const parsed = reply.safeParse(event.data);
      if (!parsed.success) return;
      const entry = pending.get(parsed.data.id);
      if (!entry) return;
      pending.delete(parsed.data.id);
      if ('error' in parsed.data) entry.reject(new Error(parsed.data.error));
      else entry.resolve(parsed.data.reading);
    };
    w.onerror = (event) => {
      failAll(new Error(`nameplate worker: ${event.message}`));
      w.terminate();
      worker = null;
    };
    w.postMessage({ type: 'init', assetBase: options.assetBase, languages });
    worker = w;
    return w;
  };

  return {
    async read(image, box) {
      const { message, transfer } = await cropForWorker(image, box);
      const w = ensure();
      const id = nextId++;
      return new Promise<NameplateReading>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ type: 'read', id, ...message }, transfer);
      });
    },
    close() {
      failAll(new Error('the nameplate reader was closed'));
      worker?.terminate();
      worker = null;
    },
  };
}
