/**
 * The Freshdesk app's offline check (`npm run package:freshdesk` runs it before zipping; usage:
 * `tsx tools/freshdesk-app/check.ts`): the rules `fdk validate` applies (rules.ts), FDK's lint set
 * (lint.ts), and FDK's coverage gate, 80 % of every metric over the app's own scripts, measured by
 * running the app's tests under vitest with v8 coverage (coverage.ts; a few seconds). What it
 * cannot do here is Freshworks' own validator: run `fdk validate` once on a machine with internet
 * before submission (README).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCoverage, totalsLine, type CoverageSummary } from './coverage.js';
import { lintScripts } from './lint.js';
import { MESSAGES_FILE, messagesSource } from './messages.js';
import { checkStructure, type AppFiles } from './rules.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_DIR = join(ROOT, 'freshdesk-app');

function filesUnder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full).split(sep).join('/')] = readFileSync(full);
    }
  };
  walk(dir);
  return out;
}

const json = (files: Record<string, Buffer>, path: string) => {
  const bytes = files[path];
  if (!bytes) return {};
  return JSON.parse(bytes.toString('utf8')) as never;
};

/** The app folder as shipped: only what the zip carries (manifest, app/, config/, README.md). */
export function readApp(dir = APP_DIR): AppFiles {
  const files = Object.fromEntries(Object.entries(filesUnder(dir)).filter(([path]) => isShipped(path)));
  return {
    manifest: json(files, 'manifest.json'),
    iparams: json(files, 'config/iparams.json'),
    requests: json(files, 'config/requests.json'),
    files,
  };
}

export const isShipped = (path: string) =>
  path === 'manifest.json' || path === 'README.md' || path.startsWith('app/') || path.startsWith('config/');

/** The generated messages must match the Zendesk app's translations they come from. */
export function messagesCurrent(app: AppFiles, root = ROOT): string[] {
  const shipped = app.files[MESSAGES_FILE]?.toString('utf8');
  return shipped === messagesSource(root) ? [] : [`${MESSAGES_FILE} is stale: run npm run package:freshdesk to regenerate it`];
}

export async function checkApp(app: AppFiles, root = ROOT): Promise<string[]> {
  return [...checkStructure(app), ...messagesCurrent(app, root), ...(await lintScripts(app.files))];
}

/**
 * Every offline check of an app folder: the files' rules (checkApp, milliseconds) and the coverage
 * gate, which runs the folder's tests (seconds), side by side.
 */
export async function checkAll(
  appDir = APP_DIR,
  root = ROOT,
): Promise<{ app: AppFiles; errors: string[]; coverage: CoverageSummary | null }> {
  const app = readApp(appDir);
  const [files, coverage] = await Promise.all([checkApp(app, root), checkCoverage(appDir)]);
  return { app, errors: [...files, ...coverage.errors], coverage: coverage.summary };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { errors, coverage } = await checkAll();
  if (coverage) console.log(`freshdesk-app coverage of app/scripts: ${totalsLine(coverage)}`);
  for (const error of errors) console.error(`✗ ${error}`);
  console.log(errors.length === 0 ? 'freshdesk-app: every offline check passed' : `freshdesk-app: ${errors.length} problem(s)`);
  process.exitCode = errors.length === 0 ? 0 : 1;
}
