import { h, icon, ICONS } from '../dom.js';
import type { ModalHandle } from '../zaf/host.js';

/** The dimmed overlay Zendesk opens for an app's `instances.create({location: 'modal'})`. */
export function openAppModal(
  title: string,
  size: { width?: string; height?: string },
  frameName: string,
  onCloseClick: () => void,
): ModalHandle {
  const frame = h('iframe', {
    name: frameName,
    class: 'modal-frame',
    title: `${title} (modal)`,
  });
  frame.style.width = size.width ?? '640px';
  frame.style.height = size.height ?? '480px';
  const closeButton = h(
    'button',
    { class: 'icon-button', type: 'button', 'aria-label': 'Close', onclick: onCloseClick },
    icon([...ICONS.close]),
  );
  const dialog = h(
    'div',
    { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    h(
      'header',
      { class: 'modal-header' },
      h('span', { class: 'app-mark', 'aria-hidden': 'true' }, icon([...ICONS.video], 14)),
      h('h2', {}, title),
      closeButton,
    ),
    frame,
  );
  const backdrop = h('div', { class: 'modal-backdrop' }, dialog);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onCloseClick();
  };
  document.addEventListener('keydown', onKey);
  document.body.append(backdrop);
  closeButton.focus();
  return {
    frame,
    close: () => {
      document.removeEventListener('keydown', onKey);
      backdrop.remove();
    },
  };
}
