import qrcode from './vendor/qrcode.mjs';

const absent = (value) => value === false || value === null || value === undefined;

function setProp(node, key, value) {
  if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
  else if (!absent(value)) node.setAttribute(key, value === true ? '' : String(value));
}

/** A tiny element builder: the sidebar is a handful of nodes, redrawn whole on every change. */
export function h(doc, tag, props, children) {
  const node = doc.createElement(tag);
  Object.entries(props || {}).forEach(([key, value]) => setProp(node, key, value));
  (children || []).filter((child) => !absent(child)).forEach((child) => node.append(child));
  return node;
}

function qrSvg(doc, text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const holder = doc.createElement('div');
  holder.className = 'qr';
  holder.setAttribute('role', 'img');
  holder.setAttribute('aria-label', label);
  holder.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  return holder;
}

function button(doc, text, onclick, props) {
  return h(doc, 'button', { type: 'button', class: 'button', onclick, ...props }, [text]);
}

function invitePanel(doc, view, t, on) {
  return h(doc, 'section', { class: 'invite' }, [
    h(doc, 'label', { for: 'invite-link' }, [t('sidebar.inviteLink')]),
    h(doc, 'input', { id: 'invite-link', readonly: true, value: view.inviteUrl }),
    h(doc, 'p', { class: 'hint' }, [view.inviteHint]),
    h(doc, 'div', { class: 'row' }, [
      button(doc, t('invite.sendToRequester'), on.invite, { disabled: view.busy }),
      button(doc, t('sidebar.copyLink'), on.copy),
      button(doc, t(view.showQr ? 'invite.hideQr' : 'invite.showQr'), on.toggleQr, { 'aria-expanded': String(view.showQr) }),
    ]),
    view.sent ? h(doc, 'p', { class: 'success' }, [view.sent]) : null,
    view.showQr ? qrSvg(doc, view.inviteUrl, t('invite.qrLabel')) : null,
  ]);
}

function endControl(doc, view, t, on) {
  if (!view.confirmEnd) return button(doc, t('sidebar.endSession'), on.askEnd, { class: 'button danger' });
  return h(doc, 'div', { class: 'confirm', role: 'alertdialog', 'aria-label': t('sidebar.endConfirm.title') }, [
    h(doc, 'strong', {}, [t('sidebar.endConfirm.title')]),
    h(doc, 'p', {}, [t('sidebar.endConfirm.body')]),
    button(doc, t('sidebar.endSession'), on.end, { class: 'button danger', disabled: view.busy }),
    button(doc, t('app.cancel'), on.cancelEnd),
  ]);
}

function consoleControl(doc, view, t, on) {
  if (view.heldBy) return h(doc, 'p', { class: 'muted' }, [view.heldBy]);
  if (view.consoleLink) {
    return h(doc, 'p', { class: 'warning' }, [
      t('sidebar.consoleBlocked'),
      ' ',
      h(doc, 'a', { href: view.consoleLink, target: '_blank', rel: 'noopener noreferrer', onclick: on.consoleLinkUsed }, [
        t('sidebar.openConsole'),
      ]),
    ]);
  }
  return button(doc, t('sidebar.openConsole'), on.openConsole, { class: 'button primary console', disabled: view.busy });
}

const SCREENS = {
  loading: (doc, view) => [h(doc, 'p', { class: 'muted' }, [view.text])],
  problem: (doc, view, t, on) => [
    h(doc, 'p', { class: 'problem', role: 'alert' }, [view.text]),
    view.canRetry ? button(doc, t('app.retry'), on.retry) : null,
  ],
  idle: (doc, view, t, on) => [
    h(doc, 'p', {}, [view.text]),
    button(doc, t('sidebar.startVideo'), on.start, { class: 'button primary', disabled: view.busy }),
  ],
  active: (doc, view, t, on) => [
    h(doc, 'p', { class: 'status', role: 'status' }, [view.status]),
    consoleControl(doc, view, t, on),
    invitePanel(doc, view, t, on),
    endControl(doc, view, t, on),
  ],
  ended: (doc, view, t, on) => [
    h(doc, 'p', { class: 'status', role: 'status' }, [view.status]),
    view.note ? h(doc, 'p', { class: view.note.tone }, [view.note.text]) : null,
    h(doc, 'p', { class: 'hint' }, [t('sidebar.startAgain')]),
    button(doc, t('sidebar.startVideo'), on.start, { class: 'button primary', disabled: view.busy }),
  ],
};

export function render(root, view, t, on) {
  const doc = root.ownerDocument;
  root.replaceChildren(...SCREENS[view.screen](doc, view, t, on).filter(Boolean));
}
