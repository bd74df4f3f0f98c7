/**
 * A visible footer line naming the operation. Zendesk's HTML sanitizer strips unknown
 * attributes and hidden elements, so the marker is plain text that survives in body,
 * html_body and plain_body; the runner looks for it before any ambiguous retry.
 */

const OP_KEY = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;

/** Op keys stay within characters that no HTML or text rendering rewrites. */
export function isValidOpKey(opKey: string): boolean {
  return OP_KEY.test(opKey);
}

export function noteMarker(opKey: string): string {
  return `Live Assist ref: ${opKey}`;
}

export function withMarker(html: string, opKey: string): string {
  return `${html}\n<p><small>${noteMarker(opKey)}</small></p>`;
}

export function containsMarker(text: string | null | undefined, marker: string): boolean {
  if (!text) return false;
  const index = text.indexOf(marker);
  if (index < 0) return false;
  // "ref: call-note:1" must not match inside "ref: call-note:12".
  const next = text.charAt(index + marker.length);
  return next === '' || !/[A-Za-z0-9:._-]/.test(next);
}
