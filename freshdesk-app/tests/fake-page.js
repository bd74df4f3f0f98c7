/**
 * The page and the Freshworks client the sidebar runs in, as small stand-ins (the repository has no
 * DOM library, and the sidebar uses a handful of DOM calls): enough to load app/scripts/app.js in
 * Node, read what the agent would see and press its buttons.
 */

/** An element: attributes, listeners and children; a disabled button ignores clicks, as in a browser. */
class FakeElement {
  constructor(doc, tag) {
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.listeners = new Map();
    this.childNodes = [];
    this.className = '';
    this.innerHTML = '';
    this.selected = false;
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  addEventListener(type, listener) {
    this.listeners.set(type, [...(this.listeners.get(type) || []), listener]);
  }

  append(...nodes) {
    this.childNodes.push(...nodes);
  }

  replaceChildren(...nodes) {
    this.childNodes = [...nodes];
  }

  get children() {
    return this.childNodes.filter((node) => typeof node !== 'string');
  }

  get textContent() {
    return this.childNodes.map((node) => (typeof node === 'string' ? node : node.textContent)).join('');
  }

  /** An input's value is its value attribute until typed into; nobody types here. */
  get value() {
    return this.getAttribute('value') || '';
  }

  select() {
    this.selected = true;
  }

  click() {
    if (this.tagName === 'BUTTON' && this.getAttribute('disabled') !== null) return;
    for (const listener of this.listeners.get('click') || []) listener({ type: 'click', target: this });
  }

  /** This element and everything under it, in document order. */
  all() {
    return [this, ...this.children.flatMap((child) => child.all())];
  }
}

export function fakeDocument() {
  const doc = {
    documentElement: { lang: 'en' },
    body: { scrollHeight: 0 },
    createElement: (tag) => new FakeElement(doc, tag),
    getElementById: (id) => doc.root.all().find((node) => node.getAttribute('id') === id) || null,
  };
  doc.root = new FakeElement(doc, 'main');
  doc.root.setAttribute('id', 'live-assist');
  return doc;
}

/** What the sidebar shows, read the way an agent (or a screen reader) would. */
export const screen = (doc) => ({
  text: () => doc.root.textContent,
  buttons: () => doc.root.all().filter((node) => node.tagName === 'BUTTON'),
  button: (name) => {
    const found = doc.root.all().find((node) => node.tagName === 'BUTTON' && node.textContent === name);
    if (!found) throw new Error(`no "${name}" button in: ${doc.root.textContent}`);
    return found;
  },
  byRole: (role) => doc.root.all().find((node) => node.getAttribute('role') === role) || null,
  byClass: (name) => doc.root.all().find((node) => node.className === name || node.getAttribute('class') === name) || null,
});

/**
 * The relay's WebSocket: remembers what the sidebar opened, and lets a test push a frame. `FakeWebSocket`
 * stands in for the browser's class, `open` for the sidebar's `openSocket`.
 */
export function fakeSockets() {
  const opened = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.closed = false;
      opened.push(this);
    }

    close() {
      this.closed = true;
    }

    push(frame) {
      this.onmessage({ data: JSON.stringify(frame) });
    }
  }
  return { opened, FakeWebSocket, open: (url) => new FakeWebSocket(url) };
}

/**
 * The Freshworks client from `app.initialized()`: the ticket, the agent and the account, the relay
 * behind request templates (answers by template name, or a function making the answer when asked;
 * `status` ≥ 400 rejects as invokeTemplate does), notices, and the iframe's height.
 */
export function fakeClient(answers, { language = 'en' } = {}) {
  const calls = [];
  const notices = [];
  const heights = [];
  return {
    calls,
    notices,
    heights,
    data: {
      get: async (what) =>
        ({
          ticket: { ticket: { id: 7 } },
          loggedInUser: { loggedInUser: { id: 42, contact: { email: 'ada@example.com', language } } },
          domainName: { domainName: 'wilo.freshdesk.com' },
        })[what],
    },
    request: {
      invokeTemplate: async (name, { body }) => {
        calls.push({ name, body: JSON.parse(body) });
        const answer = await (typeof answers[name] === 'function' ? answers[name]() : answers[name]);
        if (answer && answer.status >= 400) throw { status: answer.status, response: JSON.stringify(answer.body) };
        return { status: 200, response: JSON.stringify(answer ? answer.body : {}) };
      },
    },
    interface: { trigger: async (name, options) => notices.push({ name, ...options }) },
    instance: { resize: ({ height }) => heights.push(height) },
  };
}

/** An active session as the relay describes it to its agent (the seat is theirs). */
export const SESSION = {
  sessionId: 'session-0001',
  ticketId: 7,
  status: 'active',
  inviteUrl: 'https://relay.example.com/join/abc',
  expiresAt: '2026-12-05T10:00:00.000Z',
  createdAt: '2026-12-05T09:00:00.000Z',
  endedAt: null,
  customerStage: 'waiting',
  customerConnected: false,
  specialistToken: null,
  seat: { holder: 'Ada', yours: true },
};

/** The relay's answer to the sign-in template. */
export const SIGNED_IN = {
  status: 200,
  body: {
    agentToken: 't'.repeat(43),
    expiresAt: '2026-12-05T20:00:00Z',
    relayUrl: 'https://relay.example.com',
    agent: { id: '42', name: 'Ada' },
  },
};

/** The relay's answer for a ticket without a session yet. */
export const NO_SESSION = { status: 404, body: { error: { code: 'session-not-found', message: 'Ticket 7 has no session yet.' } } };
