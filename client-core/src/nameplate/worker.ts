// The Web Worker that reads nameplates, off the console's main thread. It loads zxing-wasm and
// tesseract.js on the first read, from the relay's OCR asset prefix only, and keeps them.
import { createWorker, type Worker as TesseractWorker } from 'tesseract.js';
import { prepareZXingModule, readBarcodesFromImageData } from 'zxing-wasm/reader';
import { z } from 'zod';
import { codesFromZxing, OCR_LANGUAGES } from './engines.js';
import {
  CODE_FORMATS,
  linesFromBlocks,
  readNameplateWith,
  TESSERACT_PARAMETERS,
  type NameplateEngines,
  type TesseractBlocks,
} from './pipeline.js';
import type { Pixels } from './types.js';

const box = z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });
const request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), assetBase: z.string().min(1), languages: z.array(z.enum(OCR_LANGUAGES)).min(1) }),
  z.object({
    type: z.literal('read'),
    id: z.number(),
    // ImageData or pixels drawn from an ImageBitmap: checked for shape here, for size in toGray.
    image: z
      .object({ width: z.number().int().positive(), height: z.number().int().positive(), data: z.instanceof(Uint8ClampedArray) })
      .optional(),
    bitmap: z.unknown().optional(),
    box,
  }),
]);

type Scope = { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };
const scope = globalThis as unknown as Scope;

let config: { assetBase: string; languages: string[] } | null = null;
let engines: Promise<NameplateEngines> | null = null;

async function loadEngines(assetBase: string, languages: string[]): Promise<NameplateEngines> {
  const base = assetBase.endsWith('/') ? assetBase : `${assetBase}/`;
  prepareZXingModule({ overrides: { locateFile: (path: string) => `${base}${path.split('/').pop()}` } });
  const tesseract: TesseractWorker = await createWorker(languages, 1, {
    workerPath: `${base}worker.min.js`,
    // A folder: tesseract.js picks the LSTM core that this browser's WebAssembly runs fastest.
    corePath: base,
    langPath: base.slice(0, -1),
    gzip: true,
    // Our own, same-origin worker script: no blob: URL is needed.
    workerBlobURL: false,
    // The relay's long cache headers keep the files; a second copy in IndexedDB would go stale.
    cacheMethod: 'none',
  });
  await tesseract.setParameters({ ...TESSERACT_PARAMETERS });
  return {
    decode: async (image) =>
      codesFromZxing(
        await readBarcodesFromImageData(image as ImageData, { formats: [...CODE_FORMATS], tryHarder: true, maxNumberOfSymbols: 4 }),
      ),
    recognize: async (pgm) => {
      const result = await tesseract.recognize(pgm, {}, { text: true, blocks: true });
      return linesFromBlocks(result.data.blocks as unknown as TesseractBlocks | null);
    },
  };
}

function pixelsOf(bitmap: ImageBitmap): Pixels {
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context in the worker');
  ctx.drawImage(bitmap, 0, 0);
  // Closed only after reading its size: a closed bitmap reports 0x0.
  bitmap.close();
  return ctx.getImageData(0, 0, width, height);
}

scope.onmessage = (event: MessageEvent) => {
  const parsed = request.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'init') {
    config = { assetBase: msg.assetBase, languages: msg.languages };
    return;
  }
  const { id } = msg;
  void (async () => {
    try {
      if (!config) throw new Error('the reader was not initialised');
      const image = msg.bitmap instanceof ImageBitmap ? pixelsOf(msg.bitmap) : msg.image;
      if (!image) throw new Error('no image');
      engines ??= loadEngines(config.assetBase, config.languages);
      const reading = await readNameplateWith(
        await engines.catch((e: unknown) => {
          engines = null; // a failed load (the relay unreachable) is tried again on the next read
          throw e;
        }),
        image,
        msg.box,
      );
      scope.postMessage({ id, reading });
    } catch (e) {
      scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
    }
  })();
};
