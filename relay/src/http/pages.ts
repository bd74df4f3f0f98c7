const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A tiny self-contained page (no external assets) for errors a person will read. */
export function messagePage(title: string, ...sentences: string[]): string {
  const body = sentences.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1.25rem; color: #1f2933; }
      main { max-width: 32rem; margin: 0 auto; }
      h1 { font-size: 1.4rem; }
      p { line-height: 1.5; }
    </style>
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
