import { h, icon, ICONS } from '../dom.js';

let region: HTMLElement | undefined;

function toastRegion(): HTMLElement {
  region ??= document.body.appendChild(h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' }));
  return region;
}

const KINDS: Record<string, string> = { notice: 'success', success: 'success', alert: 'warning', error: 'danger' };

/** Zendesk-style notification in the top-right corner (`client.invoke('notify', …)`). */
export function showToast(message: string, kind = 'notice', durationMs = 5000): void {
  const tone = KINDS[kind] ?? 'info';
  const close = h('button', { class: 'toast-close', type: 'button', 'aria-label': 'Dismiss notification' }, icon([...ICONS.close], 12));
  const toast = h('div', { class: `toast toast-${tone}` }, h('div', { class: 'toast-body' }, message), close);
  const remove = () => toast.remove();
  close.addEventListener('click', remove);
  toastRegion().append(toast);
  if (durationMs > 0) setTimeout(remove, durationMs);
}
