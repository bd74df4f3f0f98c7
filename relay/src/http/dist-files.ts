import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress as brotliCallback, constants, gzip as gzipCallback } from 'node:zlib';
import express, { type RequestHandler } from 'express';

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCallback);

/** The encodings assets go out in, best first, and how each is made. */
const ENCODINGS = {
  br: (bytes: Buffer) =>
    brotli(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  gzip: (bytes: Buffer) => gzip(bytes, { level: 9 }),
} as const;
type Encoding = keyof typeof ENCODINGS;

/** A Vite build folder the relay serves: its index.html plus hashed assets. */
export interface DistFolder {
  /** null when the folder has not been built. */
  indexHtml(): Promise<string | null>;
  /** The build's manifest (`build.manifest` in its Vite config): source module → output file; null without one. */
  manifest(): Promise<ViteManifest | null>;
  assets(): RequestHandler;
}

/** What Vite's manifest says of each source module it built; `file` is relative to the folder. */
export type ViteManifest = Record<string, { file?: unknown } | undefined>;

/** Text assets worth compressing; a flat hashed file name, so the path cannot leave the folder. */
const COMPRESSIBLE = /^\/[\w.-]+\.(?:js|css|svg|json)$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function distFolder(dir: string): DistFolder {
  return {
    async indexHtml() {
      // Read per request: small, and a rebuilt app is picked up without a restart.
      try {
        return await readFile(join(dir, 'index.html'), 'utf8');
      } catch {
        return null;
      }
    },
    async manifest() {
      // Per request as index.html, so the two always come from the same build. Outside `assets/`:
      // the asset handler does not serve it.
      try {
        const parsed: unknown = JSON.parse(await readFile(join(dir, '.vite', 'manifest.json'), 'utf8'));
        return typeof parsed === 'object' && parsed !== null ? (parsed as ViteManifest) : null;
      } catch {
        return null;
      }
    },
    assets() {
      const root = join(dir, 'assets');
      const files = express.static(root, { index: false, immutable: true, maxAge: '1y' });
      // A phone on a slow link pays for every byte of script before the first screen: text assets go
      // out compressed, brotli where the browser takes it (every current one does; about 12 % fewer
      // bytes than gzip on the customer page's scripts), else gzip (a third of their size). Hashed
      // names never change content, so each is compressed once per encoding and kept; a name that
      // is not there falls through to the plain handler (404).
      const compressed = new Map<string, Promise<Buffer | null>>();
      const compress = (name: string, encoding: Encoding) => {
        const key = `${encoding}:${name}`;
        let entry = compressed.get(key);
        if (!entry) {
          entry = readFile(join(root, name)).then(
            (bytes) => ENCODINGS[encoding](bytes),
            () => null,
          );
          compressed.set(key, entry);
          void entry.then((body) => {
            if (!body) compressed.delete(key);
          });
        }
        return entry;
      };
      return (req, res, next) => {
        // Source maps stay on the server for reading stack traces; in public they would hand out
        // the source with its comments.
        if (req.path.endsWith('.map')) {
          next();
          return;
        }
        res.vary('Accept-Encoding');
        // Asked one by one: browsers list gzip first with the same weight, and brotli is smaller.
        const encoding = (Object.keys(ENCODINGS) as Encoding[]).find((e) => req.acceptsEncodings(e) === e);
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !COMPRESSIBLE.test(req.path) || !encoding) {
          files(req, res, next);
          return;
        }
        compress(req.path.slice(1), encoding).then(
          (body) => {
            if (!body) {
              files(req, res, next);
              return;
            }
            res.type(extname(req.path));
            res.set({ 'Content-Encoding': encoding, 'Cache-Control': IMMUTABLE, 'Content-Length': String(body.length) });
            res.end(req.method === 'HEAD' ? undefined : body);
          },
          (error: unknown) => next(error),
        );
      };
    },
  };
}
