import { INVITE_ANSWER_ELEMENT_ID, type InviteAnswer } from '@live-assist/protocol/invite';
import type { ViteManifest } from '../http/dist-files.js';
import { injectIntoHead, scriptSafeJson } from '../http/pages.js';

/** Where the customer page's language bundles sit in its source: one module per language (customer-web/src/i18n). */
const LANGUAGE_MODULE = /^src\/i18n\/([a-z]{2,3})\.json$/;

/** The page's default language (customer-web/src/i18n detectLanguage). */
const DEFAULT_LANGUAGE = 'en';

/** The language bundles in the build: language → output file, relative to the build folder. */
export function languageFiles(manifest: ViteManifest): Map<string, string> {
  const files = new Map<string, string>();
  for (const [source, entry] of Object.entries(manifest)) {
    const language = LANGUAGE_MODULE.exec(source)?.[1];
    // A flat hashed name under assets/ (what the asset route serves), safe in an attribute as it is.
    if (language && typeof entry?.file === 'string' && /^assets\/[\w.-]+\.js$/.test(entry.file)) files.set(language, entry.file);
  }
  return files;
}

/** `en-US` → `en`, as the page matches tags. */
const baseOf = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The language the page will pick, by the page's own rule: `?lang=` wins, then the browser's
 * languages in order of preference (its Accept-Language), then English. A wrong guess costs only a
 * bundle fetched for nothing; the page still loads its own.
 */
export function pageLanguage(search: string, acceptLanguage: string | undefined, languages: ReadonlySet<string>): string {
  const fromQuery = baseOf(new URLSearchParams(search).get('lang') ?? '');
  if (languages.has(fromQuery)) return fromQuery;
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of preferred) {
    const base = baseOf(tag);
    if (languages.has(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The customer page with what its first screen needs, so nothing waits for a round trip after its
 * script: the invite answer as a data block (not a script: the page's CSP runs none inline), and a
 * `modulepreload` of its language bundle, fetched alongside the entry script.
 */
export function joinPage(html: string, opts: { answer: InviteAnswer; preload: string | null }): string {
  const data = `<script type="application/json" id="${INVITE_ANSWER_ELEMENT_ID}">${scriptSafeJson(opts.answer)}</script>`;
  const preload = opts.preload === null ? '' : `<link rel="modulepreload" crossorigin href="${opts.preload}">`;
  return injectIntoHead(html, `${preload}${data}`);
}
