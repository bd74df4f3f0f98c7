import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { BlobStore } from '../blobs/index.js';
import type { PrivacyExport } from './access.js';

/** Writes the export as a zip: `export.json` at the top, each session's files under its id. */
export async function writeExportZip(data: PrivacyExport, outFile: string, blobs: Pick<BlobStore, 'get'>): Promise<void> {
  const zip = new ZipFile();
  // yazl reports a failed entry on the zip, not on its output: end the output with it, so the
  // export fails rather than hangs or leaves a zip that looks whole.
  zip.on('error', (error: Error) => (zip.outputStream as Readable).destroy(error));
  zip.addBuffer(Buffer.from(`${JSON.stringify(data.json, null, 2)}\n`, 'utf8'), 'export.json');
  for (const f of data.files) {
    // Fetched when the zip reaches the entry: one file at a time in memory, however large the export.
    zip.addReadStreamLazy(f.zipPath, (callback) => {
      // yazl takes no stream along with an error; its types ask for one anyway.
      const done = callback as (error: Error | null, stream?: Readable) => void;
      blobs.get(f.key).then(
        (bytes) => (bytes ? done(null, Readable.from([bytes])) : done(new Error(`${f.key} was deleted during the export`))),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outFile));
}
