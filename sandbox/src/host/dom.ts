type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element; `on*` attributes become listeners, everything else an attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 16×16 stroke icon from a path list; decorative unless labelled by its parent. */
export function icon(paths: string[], size = 16): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.5');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

export const ICONS = {
  home: ['M2 7.5 8 2l6 5.5', 'M3.5 6.5V14h9V6.5', 'M6.5 14v-4h3v4'],
  views: ['M2 3h12', 'M2 8h12', 'M2 13h12'],
  customers: [
    'M5.5 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z',
    'M1 14c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4',
    'M11 3a2 2 0 0 1 0 4',
    'M12 10c1.7.3 3 1.7 3 4',
  ],
  reporting: ['M2 14h12', 'M4 11V7', 'M8 11V3', 'M12 11V6'],
  settings: [
    'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
    'M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  ],
  search: ['M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10Z', 'M14 14l-3.5-3.5'],
  close: ['M3.5 3.5l9 9', 'M12.5 3.5l-9 9'],
  apps: ['M2 2h5v5H2z', 'M9 2h5v5H9z', 'M2 9h5v5H2z', 'M9 9h5v5H9z'],
  video: ['M1.5 4.5h9v7h-9z', 'M10.5 7l4-2.5v7l-4-2.5'],
  plus: ['M8 3v10', 'M3 8h10'],
  chevron: ['M6 4l4 4-4 4'],
  paperclip: ['M13 7.5 8 12.5a3 3 0 0 1-4.5-4.2L9 2.8a2 2 0 0 1 3 2.8L6.5 11a1 1 0 0 1-1.5-1.4L10 4.5'],
  lock: ['M4 7V5a4 4 0 0 1 8 0v2', 'M3 7h10v7H3z'],
  bell: ['M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11z', 'M6.5 14a1.5 1.5 0 0 0 3 0'],
} as const;

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase() ?? '')
    .join('');
}

const AVATAR_COLORS = ['#1f73b7', '#038153', '#c72a1c', '#ad5918', '#6a27b8', '#0f7f8a'];

export function avatar(name: string, id: number, size: 'sm' | 'md' = 'md'): HTMLElement {
  const el = h('span', { class: `avatar avatar-${size}`, 'aria-hidden': 'true' }, initials(name));
  el.style.background = AVATAR_COLORS[id % AVATAR_COLORS.length] ?? '#1f73b7';
  return el;
}

export function formatTime(iso: string, locale = 'en-GB'): string {
  const d = new Date(iso);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? `Today ${time}` : `${d.toLocaleDateString(locale, { day: 'numeric', month: 'short' })} ${time}`;
}

export function relativeTime(iso: string): string {
  const minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
