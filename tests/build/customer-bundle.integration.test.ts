import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * twilio-video (~87 KiB gzip) is imported lazily after consent, so the consent screen
 * stays light; the JS before consent has a byte budget. Checked on the real production build
 * (`npm test` builds before running vitest).
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

/**
 * JS a phone downloads before the consent screen: the initial chunks plus one language's words.
 * The goal is 80 KiB; on Preact the page needs ~45, and the budget sits close above that so a
 * regression (React's own renderer coming back through a stray import, say) fails here.
 */
const BUDGET_BEFORE_CONSENT_GZIP = 55 * 1024;

const gzipSize = (file: string) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;

/** The language chunks: one per language, each holding that language's consent wording. */
const LANGUAGE_WORDS = { en: 'I accept the privacy policy', de: 'Datenschutz', bg: 'поверителност' } as const;

function languageChunks(): Record<keyof typeof LANGUAGE_WORDS, string[]> {
  const js = readdirSync(assets).filter((file) => file.endsWith('.js'));
  const holding = (words: string) => js.filter((file) => read(file).includes(words));
  return { en: holding(LANGUAGE_WORDS.en), de: holding(LANGUAGE_WORDS.de), bg: holding(LANGUAGE_WORDS.bg) };
}

describe('customer page production bundle', () => {
  it('keeps the JS before the consent screen within 55 KiB gzip, with only the customer’s language', () => {
    expect(existsSync(join(dist, 'index.html')), 'customer-web/dist is missing: run `npm run build` first').toBe(true);
    const initial = initialChunks();
    const byLanguage = languageChunks();
    for (const [language, files] of Object.entries(byLanguage)) {
      expect(files, `the ${language} wording should sit in a chunk of its own`).toHaveLength(1);
      expect(initial.has(files[0]!), `the ${language} wording is in the initial chunk`).toBe(false);
    }
    const largestLanguage = Math.max(...Object.values(byLanguage).map((files) => gzipSize(files[0]!)));
    const sizes = [...initial].map((file) => ({ file, gzip: gzipSize(file) }));
    const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0) + largestLanguage;
    const listing = sizes.map(({ file, gzip }) => `${file} ${(gzip / 1024).toFixed(1)} KiB`).join(', ');
    expect(
      total,
      `${(total / 1024).toFixed(1)} KiB gzip before consent (${listing}, language ${(largestLanguage / 1024).toFixed(1)} KiB)`,
    ).toBeLessThanOrEqual(BUDGET_BEFORE_CONSENT_GZIP);
  });

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
    // …and the call code (itself loaded after consent) reaches it only through a dynamic import().
    const lazyChunk = lazy[0]!;
    const chunks = readdirSync(assets).filter((file) => file.endsWith('.js'));
    expect(chunks.some((file) => dynamicImports(read(file)).includes(lazyChunk))).toBe(true);
    expect(chunks.filter((file) => staticImports(read(file)).includes(lazyChunk))).toEqual([]);
  });
});
