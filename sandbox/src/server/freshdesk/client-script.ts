/**
 * The stand-in for Freshworks' `{{{appclient}}}`: `app.initialized()` resolves with a client whose
 * methods answer in the platform's documented shapes. Data and request templates go to the
 * sandbox's server (secure iparams never reach the browser, as with Freshworks' proxy); interface
 * and instance calls go to the ticket page hosting the app by postMessage.
 * Plain browser JavaScript, served as /sandbox/freshdesk/client.js.
 */
export const CLIENT_SCRIPT = String.raw`(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const ticketId = params.get('ticket') || '';
  const instanceId = params.get('instance') || 'sidebar';
  const location_ = params.get('location') || 'ticket_sidebar';
  const DATA = ['ticket', 'requester', 'contact', 'loggedInUser', 'domainName', 'currentHost'];
  const NOTIFY_TYPES = ['success', 'info', 'warning', 'danger', 'alert', 'error'];
  const fail = (status, message) => Promise.reject({ status, message });
  let data = null;
  const readData = () =>
    (data ??= fetch('/sandbox/freshdesk/api/data/' + encodeURIComponent(ticketId), { credentials: 'same-origin' }).then((r) =>
      r.ok ? r.json() : Promise.reject({ status: r.status, message: 'data is not available' }),
    ));
  const toHost = (message) => parent.postMessage(Object.assign({ freshdeskSandbox: true, instanceId }, message), location.origin);
  const client = {
    data: {
      async get(name) {
        if (!DATA.includes(name)) return fail(400, 'Invalid data API name: ' + name);
        const all = await readData();
        if (!(name in all)) return fail(400, name + ' is not available in ' + location_);
        return { [name]: all[name] };
      },
    },
    interface: {
      trigger(action, options) {
        const o = options || {};
        if (action === 'showNotify') {
          if (!NOTIFY_TYPES.includes(o.type) || typeof o.message !== 'string') return fail(400, 'showNotify needs a type and a message');
          toHost({ kind: 'notify', type: o.type, title: String(o.title || ''), message: o.message });
          return Promise.resolve({ message: 'success' });
        }
        if (action === 'showModal') {
          if (typeof o.template !== 'string' || /^([a-z]+:)?\/\//i.test(o.template)) return fail(400, 'showModal needs a template inside the app');
          toHost({ kind: 'modal', title: String(o.title || ''), template: o.template, data: o.data === undefined ? null : o.data });
          return Promise.resolve({ message: 'success' });
        }
        return fail(400, 'Unsupported interface action in the sandbox: ' + action);
      },
    },
    instance: {
      resize(size) {
        const h = size && size.height;
        if (typeof h !== 'string' || !/^\d{1,4}px$/.test(h)) return fail(400, 'resize needs {height: "<n>px"}');
        toHost({ kind: 'resize', height: Math.min(parseInt(h, 10), 700) });
        return Promise.resolve({ message: 'success' });
      },
      context() {
        const modalData = location_ === 'modal' ? (parent.__freshdeskSandboxModalData ?? null) : undefined;
        return Promise.resolve(Object.assign({ instanceId, location: location_ }, modalData === undefined ? {} : { modalData }));
      },
      close() {
        toHost({ kind: 'close' });
        return Promise.resolve({ message: 'success' });
      },
    },
    request: {
      async invokeTemplate(name, options) {
        const res = await fetch('/sandbox/freshdesk/api/invoke', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name, options: options === undefined ? {} : options }),
        });
        const answer = await res.json();
        if (answer.ok) return answer.result;
        throw answer.result;
      },
    },
    events: { on() {} },
  };
  window.app = { initialized: () => Promise.resolve(client) };
})();
`;
