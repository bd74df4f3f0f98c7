/**
 * `npm run package:freshdesk`: regenerates the app's messages, runs the offline check, and writes
 * dist/live-assist-freshdesk.zip (manifest.json, app/, config/, README.md) for Freshdesk's custom
 * app upload. Refuses to write a zip when a check fails, the coverage gate included.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ZipFile } from 'yazl';
import { APP_DIR, checkAll, ROOT } from './check.js';
import { MESSAGES_FILE, messagesSource } from './messages.js';
import { MAX_PACKAGE_BYTES } from './rules.js';

export class PackageError extends Error {
  override name = 'PackageError';
}

export async function packageApp(
  options: { appDir?: string; outFile?: string; root?: string } = {},
): Promise<{ outFile: string; entries: string[]; bytes: number }> {
  const appDir = options.appDir ?? APP_DIR;
  const root = options.root ?? ROOT;
  writeFileSync(join(appDir, MESSAGES_FILE), messagesSource(root));
  const { app, errors } = await checkAll(appDir, root);
  if (errors.length > 0) throw new PackageError(`the Freshdesk app fails its checks:\n${errors.join('\n')}`);
  const outFile = options.outFile ?? join(root, 'dist', 'live-assist-freshdesk.zip');
  mkdirSync(dirname(outFile), { recursive: true });
  const zip = new ZipFile();
  const entries = Object.keys(app.files).sort();
  // A fixed time: the same sources make the same zip.
  for (const path of entries) zip.addBuffer(app.files[path]!, path, { mtime: new Date(Date.UTC(2026, 0, 1)) });
  const out = createWriteStream(outFile);
  let bytes = 0;
  await new Promise<void>((done, fail) => {
    zip.outputStream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    zip.outputStream.pipe(out).on('close', done).on('error', fail);
    zip.end();
  });
  if (bytes > MAX_PACKAGE_BYTES) throw new PackageError(`Package size exceeds the 5MB limit (${bytes} bytes)`);
  return { outFile, entries, bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { outFile, entries, bytes } = await packageApp();
    console.log(`wrote ${outFile}: ${entries.length} files, ${bytes} bytes`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
