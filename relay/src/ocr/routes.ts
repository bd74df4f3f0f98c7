import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Router } from 'express';
import { ocrAssets } from './assets.js';

const gzip = promisify(gzipCallback);

/** The files never change under a name (the package versions are pinned): a year, immutable. */
const CACHE = 'public, max-age=31536000, immutable';

/**
 * The worker scripts run under their own response's policy, not the console's: they may load
 * scripts and fetch only from the relay, and compile WebAssembly. Nothing else.
 */
const WORKER_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** GET /ocr/<name>: the allow-listed OCR engine files; any other name is a 404. */
export function ocrRoutes(): Router {
  const assets = ocrAssets();
  // The engine's first load is the agent's wait on the first Read text: the core the browser picks
  // goes out gzip'd (3.9 MB -> 1.5 MB), made once per file on first request and kept (the files
  // never change under a name). gzip, not brotli: brotli's best setting takes seconds on 4 MB.
  const gzipped = new Map<string, Promise<Buffer>>();
  const gzippedOf = (name: string, file: string) => {
    let body = gzipped.get(name);
    if (!body) {
      body = readFile(file).then((bytes) => gzip(bytes, { level: 9 }));
      gzipped.set(name, body);
      body.catch(() => gzipped.delete(name));
    }
    return body;
  };
  const router = Router();
  router.get('/ocr/:name', (req, res, next) => {
    // Looked up by exact name in the allow-list: no path reaches the file system from the URL.
    const asset = assets.get(req.params.name);
    if (!asset) {
      next();
      return;
    }
    res.set('Cache-Control', CACHE).set('Content-Security-Policy', WORKER_POLICY).set('Cross-Origin-Resource-Policy', 'same-origin');
    res.type(asset.type);
    if (asset.compress) res.vary('Accept-Encoding');
    if (asset.compress && req.acceptsEncodings('gzip') === 'gzip') {
      gzippedOf(req.params.name, asset.file).then(
        (body) => {
          res.set({ 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
          res.end(body);
        },
        (error: unknown) => next(error),
      );
      return;
    }
    res.sendFile(asset.file, { headers: { 'Content-Type': asset.type }, cacheControl: false, lastModified: false }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
