import { describe, expect, it, vi } from 'vitest';
import { pickLocale, timeFormatter, translator } from '../app/scripts/i18n.js';
import { followSession } from '../app/scripts/live.js';
import { createRelay } from '../app/scripts/relay.js';
import { createSidebar, INITIAL_STATE } from '../app/scripts/sidebar.js';
import { problemText, viewOf } from '../app/scripts/view.js';
import { fakeClient, fakeSockets, SESSION } from './fake-page.js';

/** Waits for what promises settle into; polls often, as nothing here waits on a timer. */
const until = (check) => vi.waitFor(check, { interval: 2, timeout: 5000 });
const en = translator('en');
const ready = (session, extra = {}) => ({ ...INITIAL_STATE, phase: 'ready', session, ...extra });

describe("the sidebar's words in less common cases", () => {
  it('speaks English to an agent whose Freshdesk profile has no language, and in a language it does not bundle', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale('')).toBe('en');
    expect(translator('fr')('sidebar.startVideo')).toBe('Start video');
  });

  it('shows a placeholder it has no value for as written, rather than "undefined"', () => {
    expect(en('sidebar.inviteHint', {})).toBe('Works on one device at a time. Expires {time}.');
    expect(en('no.such.key')).toBe('no.such.key');
  });

  it('writes times in the agent’s language', () => {
    expect(timeFormatter('de')('2026-12-05T09:31:00Z')).toMatch(/^\d{2}:\d{2}$/);
  });

  it('reads a customer stage it does not know as waiting, and an ended session without an end time by its start', () => {
    expect(viewOf(ready({ ...SESSION, customerStage: 'new-stage' }), en, () => '09:00').status).toBe(
      'Waiting for the customer to open the link',
    );
    expect(viewOf(ready({ ...SESSION, status: 'ended' }), en, (iso) => iso.slice(11, 16)).status).toBe('Ended 09:00');
    for (const [stage, text] of [
      ['opened-link', 'Customer opened the link'],
      ['consented', 'Customer accepted the privacy policy'],
      ['permissions', 'Customer is allowing camera and microphone'],
      ['left', 'Customer left the call'],
    ]) {
      expect(viewOf(ready({ ...SESSION, customerStage: stage }), en, String).status).toBe(text);
    }
  });

  it('says the call record failed even when the relay gives no reason, and names the ticket that is gone', () => {
    const ended = ready({ ...SESSION, status: 'ended', endedAt: SESSION.expiresAt }, { note: { state: 'failed' } });
    expect(viewOf(ended, en, String).note).toEqual({ tone: 'danger', text: 'The call record could not be saved to the ticket: ' });
    expect(problemText({ code: 'ticket-not-found' }, 'start', en)).toBe("This ticket couldn't be found in the helpdesk.");
    expect(problemText(null, 'end', en)).toBe("Couldn't end the session. Try again.");
    expect(problemText(undefined, 'something-else', en)).toBe("Couldn't load the video session for this ticket.");
  });
});

describe('the relay through request templates, on odd answers', () => {
  it('a failure without a relay error body reads as the status it had; an answer that is not JSON as a bad answer', async () => {
    const client = fakeClient({});
    client.request.invokeTemplate = async () => Promise.reject({ status: 502, response: undefined });
    await expect(createRelay(client).signIn({})).rejects.toMatchObject({ status: 502, code: 'http', message: 'The relay answered 502' });

    client.request.invokeTemplate = async () => ({ status: 200, response: '<html>proxy error</html>' });
    await expect(createRelay(client).start(7)).rejects.toMatchObject({ code: 'bad-response' });
  });

  it('a ticket lookup refused for another reason than "no session" is not read as no session', async () => {
    const relay = createRelay(fakeClient({ laSession: { status: 403, body: { error: { code: 'ticket-forbidden', message: 'no' } } } }));
    await expect(relay.ticketSession(7)).rejects.toMatchObject({ status: 403, code: 'ticket-forbidden' });
  });

  it('when the relay does not say when the link was sent, the notice gives the time the agent sent it', async () => {
    const client = fakeClient({
      laSignIn: { status: 200, body: { agentToken: 'a', relayUrl: 'https://relay.example.com' } },
      laSession: { status: 200, body: SESSION },
      laLive: { status: 200, body: { liveToken: 'l', expiresAt: '2026-12-05T10:30:00Z' } },
      laInvite: { status: 201, body: { channel: 'ticket-comment' } },
    });
    const sidebar = createSidebar({
      client,
      relay: createRelay(client),
      t: en,
      time: (iso) => iso.slice(11, 16),
      draw: () => undefined,
      openSocket: fakeSockets().open,
      schedule: () => undefined,
      now: () => Date.parse('2026-12-05T09:45:00Z'),
    });
    await sidebar.load();
    await sidebar.actions.invite();
    expect(client.notices.at(-1).message).toBe('Link sent to the requester as a public reply (09:45).');
  });
});

describe('the live feed, stopping and refusing', () => {
  const follow = (overrides) => {
    const sockets = fakeSockets();
    const waits = [];
    const frames = [];
    const feed = followSession({
      address: async () => 'wss://relay.example.com/ws/agent?token=l',
      open: sockets.open,
      onFrame: (frame) => frames.push(frame),
      onOffline: () => undefined,
      schedule: (work, ms) => waits.push({ work, ms }),
      ...overrides,
    });
    return { feed, sockets, waits, frames };
  };

  it('opens no socket when stopped while its token is being fetched', async () => {
    let give;
    const { feed, sockets } = follow({ address: () => new Promise((resolve) => (give = resolve)) });
    feed.stop();
    give('wss://relay.example.com/ws/agent?token=l');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sockets.opened).toEqual([]);
  });

  it('stops for good when the relay says this agent may no longer see the session (4403)', async () => {
    const { sockets, waits } = follow();
    await until(() => expect(sockets.opened).toHaveLength(1));
    sockets.opened[0].onclose({ code: 4403 });
    expect(waits).toEqual([]);
  });

  it('stop() closes the socket, and the close that follows (1005, no status) does not reconnect', async () => {
    const { feed, sockets, waits } = follow();
    await until(() => expect(sockets.opened).toHaveLength(1));
    feed.stop();
    expect(sockets.opened[0].closed).toBe(true);
    sockets.opened[0].onclose({ code: 1005 });
    expect(waits).toEqual([]);
  });

  it('a reconnect due after stop() opens nothing', async () => {
    const { feed, sockets, waits } = follow();
    await until(() => expect(sockets.opened).toHaveLength(1));
    sockets.opened[0].onclose(undefined);
    expect(waits.map((w) => w.ms)).toEqual([1000]);
    feed.stop();
    waits[0].work();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sockets.opened).toHaveLength(1);
  });

  it('ignores a frame it does not know', async () => {
    const { sockets, frames } = follow();
    await until(() => expect(sockets.opened).toHaveLength(1));
    sockets.opened[0].onmessage({ data: JSON.stringify({ type: 'hello' }) });
    sockets.opened[0].onmessage({ data: JSON.stringify({ type: 'session', session: SESSION }) });
    expect(frames).toEqual([{ type: 'session', session: SESSION }]);
  });
});
