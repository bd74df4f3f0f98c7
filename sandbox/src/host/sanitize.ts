// Comment HTML comes from API callers (the relay writes notes with customer chat text), so it is
// rebuilt from an allow-list instead of being assigned to innerHTML.
const ALLOWED = new Set([
  'P',
  'BR',
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'UL',
  'OL',
  'LI',
  'A',
  'DIV',
  'SPAN',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'H1',
  'H2',
  'H3',
  'H4',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'HR',
]);

function copy(node: Node, into: Node): void {
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      into.appendChild(document.createTextNode(child.textContent ?? ''));
    } else if (child instanceof Element) {
      if (!ALLOWED.has(child.tagName)) {
        if (child.tagName !== 'SCRIPT' && child.tagName !== 'STYLE') copy(child, into);
        continue;
      }
      const el = document.createElement(child.tagName.toLowerCase());
      const href = child.getAttribute('href');
      if (child.tagName === 'A' && href && /^(https?:|mailto:)/i.test(href)) {
        el.setAttribute('href', href);
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
      copy(child, el);
      into.appendChild(el);
    }
  }
}

export function sanitizedHtml(html: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const out = document.createDocumentFragment();
  copy(doc.body, out);
  return out;
}
