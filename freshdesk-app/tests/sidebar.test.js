import { describe, expect, it, vi } from 'vitest';
import { createRelay, relayErrorOf, TEMPLATES } from '../app/scripts/relay.js';
import { createSidebar } from '../app/scripts/sidebar.js';
import { followSession, liveUrl, parseFrame } from '../app/scripts/live.js';
import { pickLocale, translator } from '../app/scripts/i18n.js';
import { customerStatusKey, noteLine, viewOf } from '../app/scripts/view.js';
import { fakeClient, fakeSockets, NO_SESSION, SESSION, SIGNED_IN } from './fake-page.js';

function sidebarWith(answers, openTab = () => null) {
  const client = fakeClient(answers);
  const sockets = fakeSockets();
  const drawn = [];
  const sidebar = createSidebar({
    client,
    relay: createRelay(client),
    t: translator('en'),
    time: (iso) => iso.slice(11, 16),
    draw: (state) => drawn.push(state),
    openSocket: sockets.open,
    openTab,
    schedule: () => undefined,
    now: () => Date.parse('2026-12-05T09:30:00Z'),
  });
  return { sidebar, client, sockets, drawn };
}

describe('the Freshdesk sidebar', () => {
  it('signs in with what Freshworks reports, finds no session, and offers Start video: two template calls', async () => {
    const { sidebar, client, sockets } = sidebarWith({ laSignIn: SIGNED_IN, laSession: NO_SESSION });
    await sidebar.load();
    expect(client.calls).toEqual([
      { name: TEMPLATES.signIn, body: { agentId: 42, agentEmail: 'ada@example.com', ticketId: 7, account: 'wilo.freshdesk.com' } },
      { name: TEMPLATES.session, body: { agentToken: 't'.repeat(43), ticketId: 7 } },
    ]);
    expect(viewOf(sidebar.state(), translator('en'), String).screen).toBe('idle');
    expect(sockets.opened).toEqual([]);
  });

  it('starts video, follows the session over the WebSocket, sends the link, ends after confirming', async () => {
    const { sidebar, client, sockets } = sidebarWith({
      laSignIn: SIGNED_IN,
      laSession: NO_SESSION,
      laStart: { status: 201, body: SESSION },
      laInvite: { status: 201, body: { channel: 'ticket-comment', locale: 'de', sentAt: '2026-12-05T09:31:00.000Z', to: null } },
      laEnd: { status: 200, body: { ...SESSION, status: 'ended', endedAt: '2026-12-05T09:40:00.000Z' } },
      laLive: { status: 200, body: { liveToken: 'live-token-1', expiresAt: '2026-12-05T10:30:00.000Z' } },
    });
    await sidebar.load();
    await sidebar.actions.start();
    expect(sidebar.state().session.sessionId).toBe('session-0001');
    // The feed opens with a token for this session only (one template call), never the agent token.
    await vi.waitFor(() => expect(sockets.opened).toHaveLength(1));
    expect(sockets.opened[0].url).toBe('wss://relay.example.com/ws/agent?token=live-token-1');
    expect(client.calls.at(-1)).toEqual({ name: TEMPLATES.live, body: { agentToken: 't'.repeat(43), sessionId: 'session-0001' } });

    // A push from the relay changes the status line without any template call.
    const before = client.calls.length;
    sockets.opened[0].onmessage({
      data: JSON.stringify({
        type: 'session',
        session: { ...SESSION, customerStage: 'in-call', customerConnected: true },
        note: { state: 'none' },
      }),
    });
    expect(viewOf(sidebar.state(), translator('en'), String).status).toBe('Customer is in the call');
    expect(client.calls.length).toBe(before);

    await sidebar.actions.invite();
    expect(client.calls.at(-1)).toEqual({ name: TEMPLATES.invite, body: { agentToken: 't'.repeat(43), sessionId: 'session-0001' } });
    expect(client.notices[0]).toEqual({
      name: 'showNotify',
      type: 'success',
      message: 'Link sent to the requester as a public reply (09:31).',
    });
    expect(sidebar.state().sentAt).toBe('2026-12-05T09:31:00.000Z');

    sidebar.actions.askEnd();
    expect(viewOf(sidebar.state(), translator('en'), String).confirmEnd).toBe(true);
    await sidebar.actions.end();
    expect(sidebar.state().session.status).toBe('ended');
    expect(sockets.opened[0].closed).toBe(true);
    // Following the ended session reuses the live token: no second template call for it.
    await vi.waitFor(() => expect(sockets.opened).toHaveLength(2));
    expect(client.calls.filter((c) => c.name === TEMPLATES.live)).toHaveLength(1);
    sockets.opened[1].onmessage({
      data: JSON.stringify({
        type: 'session',
        session: { ...SESSION, status: 'ended', endedAt: '2026-12-05T09:40:00.000Z' },
        note: { state: 'done', attempts: 1 },
      }),
    });
    expect(viewOf(sidebar.state(), translator('en'), String).note).toEqual({ tone: 'success', text: 'Saved to ticket' });
  });

  it("says what the relay refused: a ticket outside the agent's groups, an expired sign-in", async () => {
    const forbidden = sidebarWith({ laSignIn: { status: 403, body: { error: { code: 'ticket-forbidden', message: 'no' } } } });
    await forbidden.sidebar.load();
    expect(forbidden.sidebar.state().problem).toMatch(/access to this ticket/);

    const expired = sidebarWith({
      laSignIn: SIGNED_IN,
      laSession: NO_SESSION,
      laStart: { status: 401, body: { error: { code: 'unauthorized', message: 'x' } } },
    });
    await expired.sidebar.load();
    await expired.sidebar.actions.start();
    expect(viewOf(expired.sidebar.state(), translator('en'), String)).toMatchObject({
      screen: 'problem',
      canRetry: false,
      text: 'Your Live Assist sign-in has expired. Reload the ticket to continue.',
    });
  });
});

describe('the live feed client', () => {
  it('reconnects after a drop, waiting longer each time, and stops for good on a final close', async () => {
    const sockets = fakeSockets();
    const waits = [];
    let offline = 0;
    followSession({
      address: async () => 'wss://r/ws/agent',
      open: sockets.open,
      onFrame: () => undefined,
      onOffline: () => (offline += 1),
      schedule: (work, ms) => waits.push([work, ms]),
    });
    await vi.waitFor(() => expect(sockets.opened).toHaveLength(1));
    sockets.opened[0].onclose({ code: 1006 });
    waits[0][0]();
    await vi.waitFor(() => expect(sockets.opened).toHaveLength(2));
    sockets.opened[1].onclose({ code: 1006 });
    expect(waits.map(([, ms]) => ms)).toEqual([1000, 2000]);
    expect(offline).toBe(2);
    sockets.opened[1].onclose({ code: 1000 });
    expect(waits).toHaveLength(2);
  });

  it('builds the socket address from the relay URL and ignores frames it does not know', () => {
    expect(liveUrl('http://localhost:8080', 'tok')).toBe('ws://localhost:8080/ws/agent?token=tok');
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('{"type":"other"}')).toBeNull();
  });
});

describe('the live feed client, when the token cannot be had', () => {
  it('retries later instead of opening a socket', async () => {
    const sockets = fakeSockets();
    const waits = [];
    followSession({
      address: async () => Promise.reject(new Error('429')),
      open: sockets.open,
      onFrame: () => undefined,
      onOffline: () => undefined,
      schedule: (work, ms) => waits.push(ms),
    });
    await vi.waitFor(() => expect(waits).toEqual([1000]));
    expect(sockets.opened).toEqual([]);
  });
});

describe('the sidebar words', () => {
  it('speaks bg, de and en like the Zendesk app, English for anything else', () => {
    expect(pickLocale('de-AT')).toBe('de');
    expect(pickLocale('bg')).toBe('bg');
    expect(pickLocale('fr')).toBe('en');
    expect(translator('de')('sidebar.startVideo')).not.toBe(translator('en')('sidebar.startVideo'));
    expect(translator('bg')('writeback.note.done')).not.toBe('writeback.note.done');
  });

  it('names every customer stage and note state', () => {
    const t = translator('en');
    expect(customerStatusKey({ ...SESSION, customerStage: 'in-call', customerConnected: false })).toBe('status.disconnected');
    expect(customerStatusKey({ ...SESSION, status: 'ended' })).toBe('status.ended');
    expect(noteLine({ state: 'failed', lastError: 'boom' }, t, String).tone).toBe('danger');
    expect(noteLine({ state: 'retrying', attempts: 2, nextAttemptAt: 'x' }, t, String).tone).toBe('warning');
    expect(noteLine({ state: 'pending' }, t, String).tone).toBe('muted');
    expect(noteLine({ state: 'none' }, t, String)).toBeNull();
    expect(relayErrorOf(undefined).code).toBe('network');
  });
});

describe('Open specialist view', () => {
  const LINK = { status: 200, body: { url: 'https://relay.example.com/app/console#code-1', expiresAt: '2026-12-05T09:32:00.000Z' } };
  const ACTIVE = {
    laSignIn: SIGNED_IN,
    laSession: { status: 200, body: SESSION },
    laLive: { status: 200, body: { liveToken: 'l', expiresAt: '2026-12-05T10:30:00Z' } },
  };

  function fakeTab() {
    return {
      opener: 'the sidebar',
      replaced: [],
      closed: false,
      location: {
        replace(url) {
          this.owner.replaced.push(url);
        },
      },
      close() {
        this.closed = true;
      },
    };
  }
  const tabOf = () => {
    const tab = fakeTab();
    tab.location.owner = tab;
    return tab;
  };

  it('opens a tab inside the click and sends it to the one-time link, cut off from the sidebar', async () => {
    const tab = tabOf();
    const { sidebar, client } = sidebarWith({ ...ACTIVE, laConsole: LINK }, () => tab);
    await sidebar.load();
    expect(viewOf(sidebar.state(), translator('en'), String).heldBy).toBeNull();
    await sidebar.actions.openConsole();
    expect(client.calls.at(-1)).toEqual({ name: TEMPLATES.console, body: { agentToken: 't'.repeat(43), sessionId: 'session-0001' } });
    expect(tab.replaced).toEqual(['https://relay.example.com/app/console#code-1']);
    expect(tab.opener).toBeNull();
    expect(sidebar.state().consoleLink).toBeNull();
  });

  it('shows the link to click when the browser blocked the tab', async () => {
    const { sidebar } = sidebarWith({ ...ACTIVE, laConsole: LINK }, () => null);
    await sidebar.load();
    await sidebar.actions.openConsole();
    const view = viewOf(sidebar.state(), translator('en'), String);
    expect(view.consoleLink).toBe('https://relay.example.com/app/console#code-1');
    sidebar.actions.consoleLinkUsed();
    expect(sidebar.state().consoleLink).toBeNull();
  });

  it('closes the empty tab and says so when the relay refuses', async () => {
    const tab = tabOf();
    const refused = { status: 409, body: { error: { code: 'session-ended', message: 'This call has ended.' } } };
    const { sidebar } = sidebarWith({ ...ACTIVE, laConsole: refused }, () => tab);
    await sidebar.load();
    await sidebar.actions.openConsole();
    expect(tab.closed).toBe(true);
    expect(sidebar.state().problem).toBe("Couldn't open the specialist view.");
  });

  it('offers no console to an agent who does not hold the seat; says who does', async () => {
    const theirs = { ...SESSION, seat: { holder: 'Thomas Berg', yours: false } };
    const { sidebar } = sidebarWith({ ...ACTIVE, laSession: { status: 200, body: theirs } });
    await sidebar.load();
    expect(viewOf(sidebar.state(), translator('en'), String).heldBy).toBe('Thomas Berg is in a call');
  });
});
