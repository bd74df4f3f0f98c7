import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A package's folder, found the way Node finds the package (workspaces hoist to the root). */
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

const JS = 'text/javascript; charset=utf-8';
const WASM = 'application/wasm';
// The traineddata go out as the packages ship them, gzip'd; tesseract.js unpacks them itself, so
// no Content-Encoding (a browser would unpack them first and the sizes would not match).
const GZIP = 'application/gzip';

/** `compress`: text and WebAssembly that shrink to a third gzip'd (the cores are 3.9 MB each raw). */
export type OcrAsset = { file: string; type: string; compress: boolean };

/**
 * Every file the console's nameplate reader fetches, by the name it asks for under /ocr/, and
 * nothing else: tesseract.js's worker script, the LSTM cores it picks from (relaxed SIMD, SIMD,
 * plain WebAssembly; each a JS loader with its wasm inside), the three languages' LSTM models and
 * zxing-wasm's reader.
 */
export function ocrAssets(): ReadonlyMap<string, OcrAsset> {
  const tesseract = packageDir('tesseract.js');
  const core = packageDir('tesseract.js-core');
  const assets = new Map<string, OcrAsset>([
    ['worker.min.js', { file: join(tesseract, 'dist', 'worker.min.js'), type: JS, compress: true }],
    ['zxing_reader.wasm', { file: require.resolve('zxing-wasm/reader/zxing_reader.wasm'), type: WASM, compress: true }],
  ]);
  for (const variant of ['tesseract-core-lstm', 'tesseract-core-simd-lstm', 'tesseract-core-relaxedsimd-lstm']) {
    assets.set(`${variant}.wasm.js`, { file: join(core, `${variant}.wasm.js`), type: JS, compress: true });
  }
  for (const lang of ['eng', 'deu', 'bul']) {
    assets.set(`${lang}.traineddata.gz`, {
      file: join(packageDir(`@tesseract.js-data/${lang}`), '4.0.0_best_int', `${lang}.traineddata.gz`),
      type: GZIP,
      compress: false,
    });
  }
  return assets;
}
