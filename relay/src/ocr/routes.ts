import { Router } from 'express';
import { ocrAssets } from './assets.js';

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
    res.sendFile(asset.file, { headers: { 'Content-Type': asset.type }, cacheControl: false, lastModified: false }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
