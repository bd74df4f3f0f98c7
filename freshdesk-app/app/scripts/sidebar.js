import { RelayError } from './relay.js';
import { followSession, liveUrl } from './live.js';
import { problemText } from './view.js';

/** What the sidebar knows before it has signed in. */
export const INITIAL_STATE = Object.freeze({
  phase: 'loading',
  session: null,
  note: null,
  problem: null,
  busy: false,
  showQr: false,
  confirmEnd: false,
  sentAt: null,
  consoleLink: null,
});

/**
 * The sidebar's state and actions, without the DOM (render.js draws it): one template call per
 * thing the agent does, and the live state from the relay's WebSocket.
 */
export function createSidebar({ client, relay, t, time, draw, openSocket, openTab, schedule, now }) {
  let state = INITIAL_STATE;
  let context = null;
  let live = null;
  let liveToken = { sessionId: null, token: null, expiresAt: 0 };

  // One template call per session and hour: a reconnect reuses the token while it lasts a minute more.
  async function liveAddress(sessionId) {
    const fresh = liveToken.sessionId === sessionId && liveToken.expiresAt - now() > 60_000;
    if (!fresh) {
      const answer = await relay.live(sessionId);
      liveToken = { sessionId, token: answer.liveToken, expiresAt: Date.parse(answer.expiresAt) };
    }
    return liveUrl(context.relayUrl, liveToken.token);
  }

  const set = (patch) => {
    state = { ...state, ...patch };
    draw(state);
  };

  function follow(session) {
    if (live) live.stop();
    live = followSession({
      address: () => liveAddress(session.sessionId),
      open: openSocket,
      schedule,
      onFrame: (frame) => set({ session: frame.session, note: frame.note || null, problem: null }),
      onOffline: () => set({ problem: null }),
    });
  }

  function show(session) {
    set({ phase: 'ready', session, busy: false, problem: null });
    if (session) follow(session);
  }

  async function attempt(doing, work) {
    set({ busy: true, problem: null });
    try {
      await work();
    } catch (error) {
      const signedOut = error instanceof RelayError && error.code === 'unauthorized';
      set({ busy: false, phase: signedOut ? 'signed-out' : state.phase, problem: problemText(error, doing, t) });
    }
  }

  async function load() {
    const [{ ticket }, { loggedInUser }, { domainName }] = await Promise.all([
      client.data.get('ticket'),
      client.data.get('loggedInUser'),
      client.data.get('domainName'),
    ]);
    await attempt('load', async () => {
      context = await relay.signIn({
        agentId: loggedInUser.id,
        agentEmail: loggedInUser.contact.email,
        ticketId: ticket.id,
        account: domainName,
      });
      context.ticketId = ticket.id;
      show(await relay.ticketSession(ticket.id));
    });
  }

  // The tab opens inside the click (a tab opened after an await is a blocked popup), then goes to
  // the one-time link once the relay has minted it. No tab: the link is shown to click instead.
  function openConsole() {
    const tab = openTab();
    return attempt('openConsole', async () => {
      try {
        const link = await relay.consoleLink(state.session.sessionId);
        if (!tab) return set({ busy: false, consoleLink: link.url });
        tab.opener = null;
        tab.location.replace(link.url);
        return set({ busy: false, consoleLink: null });
      } catch (error) {
        if (tab) tab.close();
        throw error;
      }
    });
  }

  const actions = {
    openConsole,
    consoleLinkUsed: () => set({ consoleLink: null }),
    start: () => attempt('start', async () => show(await relay.start(context.ticketId))),
    invite: () =>
      attempt('invite', async () => {
        const sent = await relay.invite(state.session.sessionId);
        const sentAt = sent.sentAt || new Date(now()).toISOString();
        set({ busy: false, sentAt });
        await client.interface.trigger('showNotify', { type: 'success', message: t('invite.sentAsReply', { time: time(sentAt) }) });
      }),
    askEnd: () => set({ confirmEnd: true }),
    cancelEnd: () => set({ confirmEnd: false }),
    end: () =>
      attempt('end', async () => {
        set({ confirmEnd: false });
        show(await relay.end(state.session.sessionId));
      }),
    toggleQr: () => set({ showQr: !state.showQr }),
    retry: () => (context ? attempt('load', async () => show(await relay.ticketSession(context.ticketId))) : load()),
  };

  return { load, actions, state: () => state };
}
