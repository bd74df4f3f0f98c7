import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN §3: twilio-video (~87 KiB gzip) is imported lazily after consent, so the consent screen
 * stays light. Checked on the real production build (`npm test` builds before running vitest).
 */
const dist = resolve(fileURLToPath(new URL('../../customer-web/dist', import.meta.url)));
const assets = join(dist, 'assets');

/** Strings only twilio-video's own code carries (its signaling host, its error class, its user agent). */
const SDK_MARKERS = ['vss.twilio.com', 'TwilioError', 'twilio-video.js'];

const read = (file: string) => readFileSync(join(assets, file), 'utf8');

/** Chunks a module imports statically (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w$*{},\s]+?\s*from\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g)) found.add(m[1]!);
  for (const m of code.matchAll(/(?:^|[;\s}])export\s*(?:[\w$*{},\s]+?\s*from\s*)["'`]\.\/([^"'`]+\.js)["'`]/g)) found.add(m[1]!);
  return [...found];
}

function dynamicImports(code: string): string[] {
  return [...code.matchAll(/import\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]!);
}

/** What the page loads before any user action: entry scripts, preloads, and their static imports. */
function initialChunks(): Set<string> {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="[^"]*\/assets\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="[^"]*\/assets\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(read(file)));
  }
  return seen;
}

describe('customer page production bundle', () => {
  it('keeps twilio-video out of the initial bundle and in a lazily imported chunk', () => {
    expect(existsSync(join(dist, 'index.html')), 'customer-web/dist is missing: run `npm run build` first').toBe(true);
    const initial = initialChunks();
    expect(initial.size).toBeGreaterThan(0);
    for (const file of initial) {
      const code = read(file);
      for (const marker of SDK_MARKERS) {
        expect(code.includes(marker), `initial chunk ${file} contains twilio-video code (${marker})`).toBe(false);
      }
    }

    const lazy = readdirSync(assets).filter(
      (file) => file.endsWith('.js') && !initial.has(file) && SDK_MARKERS.every((marker) => read(file).includes(marker)),
    );
    expect(lazy, 'no chunk carries twilio-video').toHaveLength(1);
    // …and the initial code reaches it only through a dynamic import().
    const lazyChunk = lazy[0]!;
    expect([...initial].some((file) => dynamicImports(read(file)).includes(lazyChunk))).toBe(true);
  });
});
