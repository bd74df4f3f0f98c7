import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InviteView, SessionView } from '@live-assist/protocol';
import type { InviteAnswer } from '@live-assist/protocol/invite';
import { CUSTOMER_INDEX, CUSTOMER_LANGUAGE_FILES, inviteTokenOf, joinedCustomer, startHarness, type Harness } from '../testing/harness.js';

const DATA_BLOCK = /<script type="application\/json" id="live-assist-invite">(.*?)<\/script>/;

/** The customer page as the relay sent it: the built page, plus its invite answer and language preload. */
async function customerPage(res: Response): Promise<{ shell: string; answer: InviteAnswer | null; preloads: string[] }> {
  const html = await res.text();
  const block = DATA_BLOCK.exec(html)?.[1];
  const preloads = [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((m) => m[1]!);
  const shell = html.replace(DATA_BLOCK, '').replace(/<link rel="modulepreload"[^>]*>/g, '');
  return { shell, answer: block === undefined ? null : (JSON.parse(block) as InviteAnswer), preloads };
}

/** The page's invite answer is the API's own: same status, same body. */
async function expectSameAnswer(res: Response, api: Response): Promise<void> {
  const { shell, answer } = await customerPage(res);
  expect(shell).toBe(CUSTOMER_INDEX);
  expect(answer).toEqual({ status: api.status, body: await api.json() });
  expect(res.status).toBe(api.status);
}

describe('customer invite links', () => {
  let h: Harness;
  let agent: string;
  beforeAll(async () => {
    h = await startHarness({ INVITE_TTL_HOURS: '1' });
    agent = await h.agentToken();
  });
  afterAll(() => h.close());

  const page = (path: string): Promise<Response> => fetch(`${h.relay.url}${path}`);

  it('a valid invite serves the customer page', async () => {
    const view = await h.createSession(agent);
    expect(view.inviteUrl.startsWith(`${h.relay.url}/join/`)).toBe(true);
    expect(inviteTokenOf(view.inviteUrl)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await fetch(view.inviteUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The page gets the invite with its HTML, as the API would answer it; its CSP still runs no inline script.
    await expectSameAnswer(res, await page(`/api/invites/${inviteTokenOf(view.inviteUrl)}`));
    expect(res.headers.get('content-security-policy')).toMatch(/(^|; )script-src 'self'(;|$)/);
  });

  it('preloads the language bundle the page will pick: ?lang= first, then the browser’s languages, else English', async () => {
    const view = await h.createSession(agent);
    const preloads = async (url: string, acceptLanguage?: string) =>
      (await customerPage(await fetch(url, acceptLanguage ? { headers: { 'Accept-Language': acceptLanguage } } : {}))).preloads;
    const file = (language: keyof typeof CUSTOMER_LANGUAGE_FILES) => [`/customer/${CUSTOMER_LANGUAGE_FILES[language]}`];
    expect(await preloads(view.inviteUrl, 'de-DE,de;q=0.9,en;q=0.8')).toEqual(file('de'));
    expect(await preloads(`${view.inviteUrl}?lang=bg`, 'de-DE,de;q=0.9')).toEqual(file('bg'));
    expect(await preloads(view.inviteUrl, 'fr-FR')).toEqual(file('en'));
    // A bad link's page explains itself in the customer's language too.
    expect(await preloads(`${h.relay.url}/join/${'A'.repeat(43)}?lang=de`)).toEqual(file('de'));
  });

  it('serves customer assets', async () => {
    const res = await page('/customer/assets/customer.js');
    expect(res.status).toBe(200);
  });

  it.each([
    ['unknown', 'A'.repeat(43)],
    ['malformed', 'not-a-token'],
    ['overlong', 'A'.repeat(500)],
  ])('an %s invite gets the customer page with 404, and the API says why', async (_kind, token) => {
    const res = await page(`/join/${token}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const api = await page(`/api/invites/${token}`);
    expect(api.status).toBe(404);
    expect(((await api.clone().json()) as { error: { code: string } }).error.code).toBe('invite-not-found');
    // The page shows the translated "not valid" screen from that answer, which came with it (e2e: the screen tour, screens.e2e.test.ts).
    await expectSameAnswer(res, api);
  });

  it('an ended session makes the invite 410, page and API alike', async () => {
    const view = await h.createSession(agent);
    const end = await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    expect(end.status).toBe(200);
    expect(((await end.json()) as SessionView).status).toBe('ended');
    const res = await fetch(view.inviteUrl);
    expect(res.status).toBe(410);
    const api = await page(`/api/invites/${inviteTokenOf(view.inviteUrl)}`);
    expect(api.status).toBe(410);
    expect(((await api.clone().json()) as { error: { code: string } }).error.code).toBe('invite-ended');
    await expectSameAnswer(res, api);
    const join = await h.join(view.inviteUrl);
    expect(join.status).toBe(410);
  });

  it('an expired invite is 410', async () => {
    const view = await h.createSession(agent, 2);
    expect((await fetch(view.inviteUrl)).status).toBe(200);
    h.advanceClock(61 * 60 * 1000);
    try {
      const res = await fetch(view.inviteUrl);
      expect(res.status).toBe(410);
      const api = await page(`/api/invites/${inviteTokenOf(view.inviteUrl)}`);
      expect(((await api.clone().json()) as { error: { code: string } }).error.code).toBe('invite-expired');
      await expectSameAnswer(res, api);
      expect((await h.join(view.inviteUrl)).status).toBe(410);
    } finally {
      h.advanceClock(-61 * 60 * 1000);
    }
  });

  it('invite view carries branding and nothing personal', async () => {
    const view = await h.createSession(agent);
    const res = await page(`/api/invites/${inviteTokenOf(view.inviteUrl)}`);
    expect(res.status).toBe(200);
    const invite = (await res.json()) as InviteView;
    expect(invite.sessionId).toBe(view.sessionId);
    expect(invite.branding).toMatchObject({ companyName: 'Wilo', policyVersion: '2024-01', exitUrl: 'https://www.wilo.com' });
    expect(JSON.stringify(invite)).not.toContain('Carla');
  });

  it('join rejects a body that does not accept the policy or lacks the consent text, and malformed JSON, with 400', async () => {
    const view = await h.createSession(agent);
    const url = `/api/invites/${inviteTokenOf(view.inviteUrl)}/join`;
    const refused = await h.api(url, {
      method: 'POST',
      json: { acceptedPolicy: false, policyVersion: '2024-01', locale: 'de', consentText: 'Ich akzeptiere' },
    });
    expect(refused.status).toBe(400);
    // Consent without the words the customer agreed to is no proof of it.
    const wordless = await h.api(url, { method: 'POST', json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'de' } });
    expect(wordless.status).toBe(400);
    const malformed = await h.api(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"acceptedPolicy":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('bad-json');
    const huge = await h.api(url, { method: 'POST', json: { pad: 'x'.repeat(64 * 1024) } });
    expect(huge.status).toBe(413);
  });

  it('one customer device at a time: a second device gets 409 while the first stays connected', async () => {
    const view = await h.createSession(agent);
    const first = await joinedCustomer(h, view);
    const phone = await h.connect(first.participantToken);
    const specialist = await h.connect(view.specialistToken);

    const second = await h.join(view.inviteUrl);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('in-use');

    // The first device is untouched and still talks to the relay.
    expect(phone.closeCode).toBeNull();
    phone.send({ type: 'ping', t: 7 });
    expect((await phone.next('pong')).t).toBe(7);
    phone.send({ type: 'media-state', media: { camera: true, microphone: true } });
    const update = await specialist.next('participant');
    expect(update.participant).toMatchObject({ role: 'customer', connected: true, media: { camera: true } });

    // The same browser may always rejoin with its own token.
    const again = await h.join(view.inviteUrl, { participantToken: first.participantToken });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { participantToken: string }).participantToken).toBe(first.participantToken);

    // Once the first device has gone, a new device takes the seat and the old token stops working.
    phone.close();
    await phone.closed();
    await specialist.next('participant');
    const third = await h.join(view.inviteUrl);
    expect(third.status).toBe(200);
    await expect(h.connect(first.participantToken)).rejects.toThrow('HTTP 401');
    specialist.close();
  });

  it('session view follows the customer stage: opened-link, consented, reported stages', async () => {
    const view = await h.createSession(agent);
    const stage = async (): Promise<SessionView> =>
      (await (await h.api(`/api/sessions/${view.sessionId}`, { bearer: agent })).json()) as SessionView;
    expect((await stage()).customerStage).toBe('waiting');
    // The page's HTML is not the customer opening the link: a link preview fetches it too. The page
    // asks for the invite once it runs (customer-web/src/call/embeddedInvite.ts).
    expect((await fetch(view.inviteUrl)).status).toBe(200);
    expect((await stage()).customerStage).toBe('waiting');
    await page(`/api/invites/${inviteTokenOf(view.inviteUrl)}`);
    expect((await stage()).customerStage).toBe('opened-link');
    const joined = await joinedCustomer(h, view);
    expect((await stage()).customerStage).toBe('consented');
    const phone = await h.connect(joined.participantToken);
    phone.send({ type: 'stage', stage: 'in-call' });
    await phone.next('participant');
    const now = await stage();
    expect(now).toMatchObject({ customerStage: 'in-call', customerConnected: true });
    phone.close();
  });
});
