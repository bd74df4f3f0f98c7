// The nameplate pipeline in Node, for the bench and the tests: the same preprocessing, codes,
// OCR and parsing as the console's worker, with the engines' files read from node_modules.
// Not part of client-core's browser build (tsconfig excludes it); tests/ typechecks it.
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker, type Worker as TesseractWorker } from 'tesseract.js';
import { prepareZXingModule, readBarcodesFromImageData } from 'zxing-wasm/reader';
import { codesFromZxing, type OcrLanguage } from './engines.js';
import {
  CODE_FORMATS,
  linesFromBlocks,
  readNameplateWith,
  TESSERACT_PARAMETERS,
  type NameplateEngines,
  type PipelineOptions,
  type TesseractBlocks,
} from './pipeline.js';
import type { Box, NameplateReading, OcrLine, Pixels } from './types.js';

const require = createRequire(import.meta.url);

export type NodeNameplateReader = {
  read(image: Pixels, box: Box, options?: PipelineOptions): Promise<NameplateReading>;
  /** Plain Tesseract on an encoded image, without the pipeline: the bench's raw reference. */
  recognizeRaw(image: Uint8Array): Promise<OcrLine[]>;
  close(): Promise<void>;
};

/** The traineddata files the relay serves, linked into one folder (tesseract.js takes one path). */
function languageFolder(languages: readonly OcrLanguage[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nameplate-lang-'));
  for (const lang of languages) {
    const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    symlinkSync(join(pkg, '4.0.0_best_int', `${lang}.traineddata.gz`), join(dir, `${lang}.traineddata.gz`));
  }
  return dir;
}

export async function createNodeNameplateReader(languages: readonly OcrLanguage[] = ['eng', 'deu', 'bul']): Promise<NodeNameplateReader> {
  const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  const langDir = languageFolder(languages);
  const tesseract: TesseractWorker = await createWorker([...languages], 1, { langPath: langDir, gzip: true, cacheMethod: 'none' });
  await tesseract.setParameters({ ...TESSERACT_PARAMETERS });
  const recognize = async (image: Uint8Array): Promise<OcrLine[]> => {
    const result = await tesseract.recognize(Buffer.from(image), {}, { text: true, blocks: true });
    return linesFromBlocks(result.data.blocks as unknown as TesseractBlocks | null);
  };
  const engines: NameplateEngines = {
    decode: async (image) =>
      codesFromZxing(
        await readBarcodesFromImageData(image as unknown as ImageData, {
          formats: [...CODE_FORMATS],
          tryHarder: true,
          maxNumberOfSymbols: 4,
        }),
      ),
    recognize,
  };
  return {
    read: (image, box, options) => readNameplateWith(engines, image, box, options),
    recognizeRaw: recognize,
    async close() {
      await tesseract.terminate();
      rmSync(langDir, { recursive: true, force: true });
    },
  };
}
