/**
 * Builds the zip Zendesk accepts for a private app: manifest.json, translations/ and assets/
 * (logos) at the root. Usage: RELAY_PUBLIC_URL=https://assist.example.com tsx tools/zendesk-app/package.ts
 */
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZipFile } from 'yazl';
import { checkManifest, readAppSource } from './check-manifest.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
const SIDEBAR_PATH = '/app/ticket_sidebar';

export interface PackageOptions {
  /** Folder holding manifest.json and translations/. Default: the repository root. */
  sourceDir?: string;
  assetsDir?: string;
  outFile?: string;
  /** Public origin of the relay; the sidebar location and the relay_url default point at it. */
  relayPublicUrl?: string;
}

export interface PackageResult {
  outFile: string;
  entries: string[];
  manifest: Record<string, unknown>;
}

export class PackageError extends Error {
  override name = 'PackageError';
}

/** The manifest as shipped: location and relay_url default follow the relay's public URL. */
export function manifestForRelay(manifest: Record<string, unknown>, relayPublicUrl: string | undefined): Record<string, unknown> {
  if (!relayPublicUrl) return manifest;
  let origin: string;
  try {
    const url = new URL(relayPublicUrl);
    origin = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    throw new PackageError(`RELAY_PUBLIC_URL "${relayPublicUrl}" is not a URL`);
  }
  const copy = structuredClone(manifest) as Record<string, unknown> & {
    location?: { support?: { ticket_sidebar?: unknown } };
    parameters?: { name?: unknown; default?: unknown }[];
  };
  const sidebar = copy.location?.support?.ticket_sidebar;
  const url = `${origin}${SIDEBAR_PATH}`;
  if (copy.location?.support) {
    copy.location.support.ticket_sidebar = typeof sidebar === 'object' && sidebar !== null ? { ...sidebar, url } : { url };
  }
  for (const p of copy.parameters ?? []) if (p.name === 'relay_url') p.default = origin;
  return copy;
}

export async function buildPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const sourceDir = options.sourceDir ?? ROOT;
  const assetsDir = options.assetsDir ?? join(here, 'assets');
  const outFile = options.outFile ?? join(ROOT, 'dist', 'live-assist-zendesk-app.zip');

  const source = readAppSource(sourceDir);
  const manifest = manifestForRelay(source.manifest as Record<string, unknown>, options.relayPublicUrl);
  const files = new Map<string, Buffer>();
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const [locale, content] of Object.entries(source.translations)) {
    files.set(`translations/${locale}.json`, Buffer.from(`${JSON.stringify(content, null, 2)}\n`));
  }
  for (const name of readdirSync(assetsDir)) files.set(`assets/${name}`, readFileSync(join(assetsDir, name)));

  const { errors } = checkManifest(manifest, source.translations, { files: [...files.keys()] });
  if (errors.length > 0) throw new PackageError(`the app does not pass the manifest check:\n  ${errors.join('\n  ')}`);

  mkdirSync(dirname(outFile), { recursive: true });
  const zip = new ZipFile();
  // A fixed timestamp keeps the archive reproducible from the same sources.
  const mtime = new Date('2024-01-01T00:00:00Z');
  const entries = [...files.keys()].sort();
  for (const name of entries) zip.addBuffer(files.get(name)!, name, { mtime, mode: 0o100644 });
  zip.end();
  await new Promise<void>((resolveWrite, reject) => {
    const out = createWriteStream(outFile);
    out.on('close', resolveWrite);
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  return { outFile, entries, manifest };
}

async function main(): Promise<void> {
  try {
    const result = await buildPackage({ relayPublicUrl: process.env.RELAY_PUBLIC_URL || undefined });
    console.log(`wrote ${result.outFile}:\n  ${result.entries.join('\n  ')}`);
    if (!process.env.RELAY_PUBLIC_URL) {
      console.warn('RELAY_PUBLIC_URL is not set: the sidebar points at the placeholder in manifest.json');
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) await main();
