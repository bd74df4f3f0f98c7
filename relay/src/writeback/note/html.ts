/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Fills `{name}` placeholders of a trusted template with escaped values; values that are already
 * HTML are passed as `{ html: … }`.
 */
export function fill(template: string, values: Record<string, string | number | { html: string }>): string {
  return escapeHtml(template).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (typeof value === 'object') return value.html;
    return escapeHtml(String(value));
  });
}

/** User text: escaped, line breaks kept, control characters (except newlines) dropped. */
export function userText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
  return escapeHtml(clean).replace(/\n/g, '<br>');
}
