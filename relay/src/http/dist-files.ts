import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';

/** A Vite build folder the relay serves: its index.html plus hashed assets. */
export interface DistFolder {
  /** null when the folder has not been built. */
  indexHtml(): Promise<string | null>;
  assets(): RequestHandler;
}

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
    assets() {
      return express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '1y' });
    },
  };
}
