import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, fakeDocument, fakeSockets, NO_SESSION, screen, SESSION, SIGNED_IN } from './fake-page.js';

const INVITE_URL = 'https://relay.example.com/join/abc';
const ENDED = { ...SESSION, status: 'ended', endedAt: '2026-12-05T09:40:00.000Z' };
/** The live feed's token, good for an hour from whenever it is asked for. */
const LIVE = () => ({ status: 200, body: { liveToken: 'live-token-1', expiresAt: new Date(Date.now() + 3_600_000).toISOString() } });
/** A ticket without a session whose relay lets the agent start, invite, end and watch. */
const RELAY = {
  laSignIn: SIGNED_IN,
  laSession: NO_SESSION,
  laStart: { status: 201, body: SESSION },
  laInvite: { status: 201, body: { channel: 'ticket-comment', locale: 'en', sentAt: '2026-12-05T09:31:00.000Z', to: null } },
  laEnd: { status: 200, body: ENDED },
  laLive: LIVE,
};
/** A time of day as the agent's locale writes it (09:31, 9:31 AM). */
const TIME = /\d{1,2}:\d{2}(\s?[AP]M)?/.source;

/** Waits for what promises (template calls, the clipboard) settle into; polls often, as nothing here waits on a timer. */
const until = (check) => vi.waitFor(check, { interval: 2, timeout: 5000 });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Opens a ticket: the sidebar page loads app.js in the Freshworks iframe, as Freshdesk does. */
async function openTicket(answers, { language = 'en', clipboard } = {}) {
  const doc = fakeDocument();
  const client = fakeClient(answers, { language });
  const sockets = fakeSockets();
  vi.stubGlobal('document', doc);
  vi.stubGlobal('window', { app: { initialized: async () => client } });
  vi.stubGlobal('navigator', { clipboard });
  vi.stubGlobal('WebSocket', sockets.FakeWebSocket);
  vi.resetModules();
  await import('../app/scripts/app.js');
  return { doc, client, sockets, view: screen(doc) };
}

/** Opens a ticket, starts video and waits for the invite and the live feed. */
async function startedCall(answers = RELAY, options = {}) {
  const opened = await openTicket(answers, options);
  await until(() => opened.view.button('Start video').click());
  await until(() => expect(opened.doc.getElementById('invite-link')?.value).toBe(INVITE_URL));
  await until(() => expect(opened.sockets.opened).toHaveLength(1));
  return opened;
}

describe('the Freshdesk sidebar, as the agent sees it', () => {
  it("shows Loading while it signs in, then Start video, in the agent's Freshdesk language, and sizes its frame", async () => {
    let signIn;
    const { doc, client, view } = await openTicket(
      { ...RELAY, laSignIn: () => new Promise((resolve) => (signIn = resolve)) },
      { language: 'de-AT' },
    );
    await until(() => expect(view.text()).toBe('Live Assist wird geladen…'));
    expect(doc.documentElement.lang).toBe('de');
    expect(view.buttons()).toEqual([]);

    doc.body.scrollHeight = 320;
    signIn(SIGNED_IN);
    await until(() => expect(view.text()).toContain('Sehen Sie, was Ihr Kunde sieht.'));
    expect(view.buttons().map((b) => b.textContent)).toEqual(['Video starten']);
    // Never shorter than the panel's minimum, else as tall as the content.
    expect(client.heights[0]).toBe('160px');
    expect(client.heights.at(-1)).toBe('320px');
  });

  it('Start video shows the invite: the link to copy, when it expires, the customer waiting, and no second click while starting', async () => {
    let start;
    const { client, view, sockets } = await openTicket({ ...RELAY, laStart: () => new Promise((resolve) => (start = resolve)) });
    await until(() => view.button('Start video').click());
    // Busy: the button is disabled, so a second click sends nothing.
    expect(view.button('Start video').getAttribute('disabled')).toBe('');
    view.button('Start video').click();
    expect(client.calls.filter((c) => c.name === 'laStart')).toHaveLength(1);

    start(RELAY.laStart);
    await until(() => expect(view.byRole('status')?.textContent).toBe('Waiting for the customer to open the link'));
    expect(view.text()).toMatch(new RegExp(`Invite link.*Works on one device at a time\\. Expires ${TIME}`));
    expect(view.button('Send link to requester').getAttribute('disabled')).toBeNull();
    expect(view.button('Show QR code').getAttribute('aria-expanded')).toBe('false');
    await until(() => expect(sockets.opened[0]?.url).toBe('wss://relay.example.com/ws/agent?token=live-token-1'));
  });

  it('shows and hides the QR code of the invite link', async () => {
    const { view } = await startedCall();
    expect(view.byRole('img')).toBeNull();
    view.button('Show QR code').click();
    const qr = view.byRole('img');
    expect(qr.getAttribute('aria-label')).toBe('QR code of the invite link');
    expect(qr.innerHTML).toMatch(/^<svg[^>]*>.*<\/svg>$/s);
    expect(view.button('Hide QR code').getAttribute('aria-expanded')).toBe('true');
    view.button('Hide QR code').click();
    expect(view.byRole('img')).toBeNull();
  });

  it('Send link to requester: a notice and a line in the panel say when it was sent', async () => {
    const { client, view } = await startedCall();
    view.button('Send link to requester').click();
    const sent = new RegExp(`^Link sent to the requester as a public reply \\(${TIME}\\)\\.$`);
    await until(() => expect(view.byClass('success')?.textContent).toMatch(sent));
    expect(client.notices).toEqual([{ name: 'showNotify', type: 'success', message: expect.stringMatching(sent) }]);
    expect(client.calls.at(-1)).toEqual({ name: 'laInvite', body: { agentToken: 't'.repeat(43), sessionId: 'session-0001' } });
  });

  it('Copy link puts the invite link on the clipboard and says Copied', async () => {
    const copied = [];
    const { client, view } = await startedCall(RELAY, { clipboard: { writeText: async (text) => copied.push(text) } });
    view.button('Copy link').click();
    await until(() => expect(client.notices).toEqual([{ name: 'showNotify', type: 'info', message: 'Copied' }]));
    expect(copied).toEqual([INVITE_URL]);
  });

  it('when the browser refuses the clipboard, Copy link selects the link and asks the agent to copy it', async () => {
    const { client, doc, view } = await startedCall(RELAY, { clipboard: { writeText: async () => Promise.reject(new Error('denied')) } });
    view.button('Copy link').click();
    await until(() =>
      expect(client.notices).toEqual([
        { name: 'showNotify', type: 'info', message: "Couldn't copy. Select the link and copy it yourself." },
      ]),
    );
    expect(doc.getElementById('invite-link').selected).toBe(true);
  });

  it('follows the customer live, ends the session only after confirming, and reports the call note', async () => {
    const { client, view, sockets } = await startedCall();
    sockets.opened[0].push({
      type: 'session',
      session: { ...SESSION, customerStage: 'in-call', customerConnected: true },
      note: { state: 'none' },
    });
    expect(view.byRole('status').textContent).toBe('Customer is in the call');
    sockets.opened[0].push({ type: 'session', session: { ...SESSION, customerStage: 'in-call', customerConnected: false }, note: null });
    expect(view.byRole('status').textContent).toBe('Customer lost connection');

    view.button('End session').click();
    const dialog = view.byRole('alertdialog');
    expect(dialog.getAttribute('aria-label')).toBe('End this session?');
    expect(dialog.textContent).toContain('The call ends for the customer and the invite link stops working.');
    view.button('Cancel').click();
    expect(view.byRole('alertdialog')).toBeNull();
    expect(client.calls.some((c) => c.name === 'laEnd')).toBe(false);

    view.button('End session').click();
    view.button('End session').click();
    await until(() => expect(view.byRole('status')?.textContent).toMatch(new RegExp(`^Ended ${TIME}$`)));
    expect(view.text()).toContain('Start a new session to call the customer again.');
    expect(view.button('Start video').getAttribute('disabled')).toBeNull();

    await until(() => expect(sockets.opened).toHaveLength(2));
    sockets.opened[1].push({ type: 'session', session: ENDED, note: { state: 'pending' } });
    expect(view.byClass('muted')?.textContent).toBe('Saving the call record to the ticket…');
    sockets.opened[1].push({ type: 'session', session: ENDED, note: { state: 'failed', lastError: 'attachment too large' } });
    expect(view.byClass('danger')?.textContent).toBe('The call record could not be saved to the ticket: attachment too large');
    sockets.opened[1].push({ type: 'session', session: ENDED, note: { state: 'done', attempts: 2 } });
    expect(view.byClass('success')?.textContent).toBe('Saved to ticket');
    // The record is saved: nothing more will change, so the feed closes.
    expect(sockets.opened[1].closed).toBe(true);
  });

  it('after a dropped feed it reconnects a second later with the same live token, the panel unchanged', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { client, view, sockets } = await startedCall();
    sockets.opened[0].onclose({ code: 1006 });
    expect(view.byRole('status').textContent).toBe('Waiting for the customer to open the link');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets.opened).toHaveLength(2);
    expect(sockets.opened[1].url).toBe(sockets.opened[0].url);
    expect(client.calls.filter((c) => c.name === 'laLive')).toHaveLength(1);
  });
});

describe('the Freshdesk sidebar, when something fails', () => {
  it('says the session could not be loaded and offers Try again, which loads it once the relay answers', async () => {
    const answers = { ...RELAY, laSignIn: { status: 502, body: { error: { code: 'helpdesk-unavailable', message: 'x' } } } };
    const { client, view } = await openTicket(answers);
    await until(() => expect(view.byRole('alert')?.textContent).toBe("Couldn't load the video session for this ticket."));

    answers.laSignIn = SIGNED_IN;
    view.button('Try again').click();
    await until(() => expect(view.button('Start video')).toBeTruthy());
    expect(client.calls.map((c) => c.name)).toEqual(['laSignIn', 'laSignIn', 'laSession']);
  });

  it('says video could not start; Try again looks the session up again without signing in again', async () => {
    const answers = { ...RELAY, laStart: { status: 500, body: {} } };
    const { client, view } = await openTicket(answers);
    await until(() => view.button('Start video').click());
    await until(() => expect(view.byRole('alert')?.textContent).toBe("Couldn't start a video session. Try again."));

    answers.laSession = { status: 200, body: SESSION };
    view.button('Try again').click();
    await until(() => expect(view.byRole('status')?.textContent).toBe('Waiting for the customer to open the link'));
    expect(client.calls.filter((c) => c.name === 'laSignIn')).toHaveLength(1);
  });

  it('says the relay cannot be reached when the template call gets no answer', async () => {
    const { view } = await openTicket({ ...RELAY, laSession: () => Promise.reject({ status: 0 }) });
    await until(() => expect(view.byRole('alert')?.textContent).toBe("Can't reach Live Assist. Retrying…"));
  });

  it('says the link was not sent when the invite fails', async () => {
    const { view } = await startedCall({
      ...RELAY,
      laInvite: { status: 500, body: { error: { code: 'helpdesk-unavailable', message: 'x' } } },
    });
    view.button('Send link to requester').click();
    await until(() => expect(view.byRole('alert')?.textContent).toBe('The link could not be sent. Try again.'));
  });

  it('after an expired sign-in, says to reload the ticket and offers no Try again', async () => {
    const { view } = await openTicket({ ...RELAY, laStart: { status: 401, body: { error: { code: 'unauthorized', message: 'x' } } } });
    await until(() => view.button('Start video').click());
    await until(() =>
      expect(view.byRole('alert')?.textContent).toBe('Your Live Assist sign-in has expired. Reload the ticket to continue.'),
    );
    expect(view.buttons()).toEqual([]);
  });

  it("says when the agent's Freshdesk role does not reach the ticket", async () => {
    const { view } = await openTicket({
      ...RELAY,
      laSession: { status: 403, body: { error: { code: 'ticket-forbidden', message: 'x' } } },
    });
    await until(() => expect(view.byRole('alert')?.textContent).toMatch(/^Your helpdesk role doesn't give you access to this ticket/));
  });
});
