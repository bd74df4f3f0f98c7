import { createHash } from 'node:crypto';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const MESSAGE_PAGE_STYLE =
  'body { font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1.25rem; color: #1f2933; } ' +
  'main { max-width: 32rem; margin: 0 auto; } h1 { font-size: 1.4rem; } p { line-height: 1.5; }';

/** The CSP source that allows the message pages' one inline style and nothing else. */
export const MESSAGE_PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(MESSAGE_PAGE_STYLE, 'utf8').digest('base64')}'`;

/** A tiny self-contained page (no external assets) for errors a person will read. */
export function messagePage(title: string, ...sentences: string[]): string {
  const body = sentences.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>${MESSAGE_PAGE_STYLE}</style>
  </head>
  <body>
    <main>
    <h1>${escapeHtml(title)}</h1>
    ${body}
    </main>
  </body>
</html>
`;
}

/** Embeds JSON in a `<script type="application/json">` safely (no `</script>` break-out). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function injectIntoHead(html: string, snippet: string): string {
  const at = html.search(/<\/head>/i);
  if (at === -1) return `${snippet}${html}`;
  return `${html.slice(0, at)}${snippet}${html.slice(at)}`;
}
