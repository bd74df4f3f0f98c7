import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { PrivacyExport } from './access.js';

/** Writes the export as a zip: `export.json` at the top, each session's files under its id. */
export async function writeExportZip(data: PrivacyExport, outFile: string): Promise<void> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(data.json, null, 2)}\n`, 'utf8'), 'export.json');
  for (const f of data.files) zip.addFile(f.file, f.zipPath);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outFile));
}
