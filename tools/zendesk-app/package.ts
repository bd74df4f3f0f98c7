/**
 * Builds the zip Zendesk accepts for a private app: manifest.json, translations/ and assets/
 * (logos) at the root. Usage:
 *   RELAY_PUBLIC_URL=https://assist.example.com APP_SUPPORT_EMAIL=help@example.com tsx tools/zendesk-app/package.ts
 */
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZipFile } from 'yazl';
import { checkManifest, readAppSource } from './check-manifest.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');

export interface PackageOptions {
  /** Folder holding manifest.json and translations/. Default: the repository root. */
  sourceDir?: string;
  assetsDir?: string;
  outFile?: string;
  /** Public origin of the relay; the relay_url setting's default points at it. Required. */
  relayPublicUrl?: string;
  /** Replaces the manifest's author email (where admins ask for help with the app). */
  supportEmail?: string;
}

export interface PackageResult {
  outFile: string;
  entries: string[];
  manifest: Record<string, unknown>;
}

export class PackageError extends Error {
  override name = 'PackageError';
}

/** The host manifest.json ships with; a zip must never point an account at it. */
export const PLACEHOLDER_HOST = 'live-assist.example';

/**
 * Where Zendesk loads each location from. `{{setting.relay_url}}` is filled in by Zendesk from the
 * installation's setting, so one zip serves any deployment; the modal must be declared here
 * because a server-side modal with signed URLs is never loaded from `instances.create`'s url.
 */
export const LOCATIONS = {
  ticket_sidebar: { url: '{{setting.relay_url}}/app/ticket_sidebar', flexible: true },
  modal: { url: '{{setting.relay_url}}/app/modal' },
} as const;

type Manifest = Record<string, unknown> & {
  author?: { name?: unknown; email?: unknown; url?: unknown };
  location?: { support?: Record<string, unknown> };
  parameters?: { name?: unknown; default?: unknown }[];
};

function hostOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.includes('@') && !value.includes('/')) return value.split('@').pop() ?? null;
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

/**
 * The manifest as shipped: both locations from the relay_url setting, whose default (and the
 * author's url) is the relay's public URL. Refuses anything still naming the placeholder host.
 */
export function manifestForRelay(
  manifest: Record<string, unknown>,
  relayPublicUrl: string | undefined,
  supportEmail?: string,
): Record<string, unknown> {
  if (!relayPublicUrl) {
    throw new PackageError(
      "RELAY_PUBLIC_URL is not set: the app would point at the placeholder host. Set it to the relay's https address.",
    );
  }
  let origin: string;
  try {
    const url = new URL(relayPublicUrl);
    if (url.protocol !== 'https:')
      throw new PackageError(`RELAY_PUBLIC_URL "${relayPublicUrl}" must be an absolute https URL: Zendesk loads apps over https only`);
    origin = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError(`RELAY_PUBLIC_URL "${relayPublicUrl}" is not a URL`);
  }
  const copy = structuredClone(manifest) as Manifest;
  copy.location = { ...copy.location, support: { ...copy.location?.support, ...structuredClone(LOCATIONS) } };
  for (const p of copy.parameters ?? []) if (p.name === 'relay_url') p.default = origin;
  if (copy.author && hostOf(copy.author.url) === PLACEHOLDER_HOST) copy.author.url = origin;
  if (copy.author && supportEmail) copy.author.email = supportEmail;
  const placeholders = [copy.author?.email, copy.author?.url, ...(copy.parameters ?? []).map((p) => p.default)]
    .filter((v) => hostOf(v) === PLACEHOLDER_HOST)
    .map(String);
  if (placeholders.length > 0 || hostOf(origin) === PLACEHOLDER_HOST) {
    throw new PackageError(
      `the manifest still names the placeholder host ${PLACEHOLDER_HOST} (${[...placeholders, origin].join(', ')}): set RELAY_PUBLIC_URL and APP_SUPPORT_EMAIL`,
    );
  }
  return copy;
}

export async function buildPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const sourceDir = options.sourceDir ?? ROOT;
  const assetsDir = options.assetsDir ?? join(here, 'assets');
  const outFile = options.outFile ?? join(ROOT, 'dist', 'live-assist-zendesk-app.zip');

  const source = readAppSource(sourceDir);
  const manifest = manifestForRelay(source.manifest as Record<string, unknown>, options.relayPublicUrl, options.supportEmail);
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
    const result = await buildPackage({
      relayPublicUrl: process.env.RELAY_PUBLIC_URL || undefined,
      supportEmail: process.env.APP_SUPPORT_EMAIL || undefined,
    });
    console.log(`wrote ${result.outFile}:\n  ${result.entries.join('\n  ')}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) await main();
