import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../testing/fakes/zendesk.js';
import { RESTRICTED_AGENT_ID, type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

const BOOT = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/;

describe('signed-URL app load', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  const load = async (token: string, location = 'ticket_sidebar', query = ''): Promise<Response> =>
    fetch(`${h.relay.url}/app/${location}${query}`, { method: 'POST', body: new URLSearchParams({ token }) });

  it('serves the app with boot JSON for a valid token, and the agent token works on the API', async () => {
    const res = await load(await h.helpdesk.sign({ location: 'modal' }), 'modal', '?origin=https%3A%2F%2Fx.zendesk.com&app_guid=abc');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="root"></div>');
    const boot = JSON.parse(BOOT.exec(html)?.[1] ?? 'null') as { agentToken: string; location: string; relayUrl: string };
    expect(boot.location).toBe('modal');
    expect(boot.relayUrl).toBe(h.relay.url);
    expect(html.indexOf('live-assist-boot')).toBeLessThan(html.indexOf('</head>'));

    const session = await h.api('/api/sessions', { method: 'POST', bearer: boot.agentToken, json: { ticketId: 1 } });
    expect(session.status).toBe(201);
  });

  it('escapes "<" in the boot JSON so it cannot break out of the script', async () => {
    const res = await load(await h.helpdesk.sign({ claims: { user: { name: '</script><b>x' } } }));
    const html = await res.text();
    expect(html).not.toContain('</script><b>');
    expect(res.status).toBe(200);
  });

  it('fetches the helpdesk public key only once', () => {
    expect(h.helpdesk.requests.filter((r) => r.path.includes('public_key.pem'))).toHaveLength(1);
  });

  it.each([
    ['an expired token', async () => h.helpdesk.sign({ expiresIn: -3600 })],
    ['a token signed with another key', async () => h.helpdesk.sign({ key: await generateSigningKey() })],
    ['a token for another installation', async () => h.helpdesk.sign({ audience: `${h.helpdesk.url}/api/v2/apps/installations/1.json` })],
    ['a token from another account', async () => h.helpdesk.sign({ issuer: 'evil.zendesk.com' })],
    ['garbage', async () => 'not-a-jwt'],
  ])('refuses %s with a 401 page and no boot data', async (_name, makeToken) => {
    const res = await load(await makeToken());
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).not.toContain('live-assist-boot');
    expect(html).toContain('could not be verified');
  });

  it('refuses a token signed for another location (a sidebar token cannot open the console)', async () => {
    const res = await load(await h.helpdesk.sign({ location: 'ticket_sidebar' }), 'modal');
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('live-assist-boot');
  });

  it('refuses an end-user with a 403 page, and a user the helpdesk does not know', async () => {
    const endUser = await load(await h.helpdesk.sign({ sub: '501' }));
    expect(endUser.status).toBe(403);
    const html = await endUser.text();
    expect(html).toContain('only be used by agents');
    expect(html).not.toContain('live-assist-boot');
    expect((await load(await h.helpdesk.sign({ sub: '9999' }))).status).toBe(403);
  });

  it('reads who the agent is from the helpdesk, since the token carries only their id', async () => {
    const agent = await h.agentToken(String(RESTRICTED_AGENT_ID));
    const view = await h.createSession(agent, 2);
    const sent = await h.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent });
    expect(sent.status).toBe(201);
    const update = h.helpdesk.updates.at(-1) as {
      ticketId: number;
      body: { ticket: { comment: { html_body: string; author_id: number } } };
    };
    // The customer is invited by name, and the ticket shows the agent (not the API user) as author.
    expect(update.ticketId).toBe(2);
    expect(update.body.ticket.comment.html_body).toContain('Rita Restricted');
    expect(update.body.ticket.comment.html_body).not.toContain(`Agent ${RESTRICTED_AGENT_ID}`);
    expect(update.body.ticket.comment.author_id).toBe(RESTRICTED_AGENT_ID);
    expect(h.helpdesk.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /api/v2/users/${RESTRICTED_AGENT_ID}.json`);
  });

  it('refuses a POST without a token', async () => {
    const res = await fetch(`${h.relay.url}/app/ticket_sidebar`, { method: 'POST' });
    expect(res.status).toBe(401);
  });

  it('GET of the app tells people to open it from the helpdesk', async () => {
    const res = await fetch(`${h.relay.url}/app/ticket_sidebar`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Open this app from the helpdesk');
  });

  it('serves app assets statically', async () => {
    const res = await fetch(`${h.relay.url}/app/assets/app.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('console.log("app")');
  });

  it('sends scripts compressed (brotli, else gzip) to a browser that accepts it, and plain to one that does not', async () => {
    const zipped = await fetch(`${h.relay.url}/app/assets/app.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toMatch(/javascript/);
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await zipped.text()).toContain('console.log("app")');

    // Brotli (smaller) to a browser that takes it, whatever order it lists its encodings in.
    for (const accepted of ['gzip, deflate, br, zstd', 'br']) {
      const br = await fetch(`${h.relay.url}/app/assets/app.js`, { headers: { 'Accept-Encoding': accepted } });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(await br.text()).toContain('console.log("app")');
    }
    const refused = await fetch(`${h.relay.url}/app/assets/app.js`, { headers: { 'Accept-Encoding': 'gzip, br;q=0' } });
    expect(refused.headers.get('content-encoding')).toBe('gzip');
    expect(await refused.text()).toContain('console.log("app")');

    const plain = await fetch(`${h.relay.url}/app/assets/app.js`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('console.log("app")');

    const missing = await fetch(`${h.relay.url}/app/assets/nope.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(missing.status).toBe(404);
  });

  it('agent API without or with a bad bearer token is 401', async () => {
    const none = await h.api('/api/sessions', { method: 'POST', json: { ticketId: 1 } });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const bad = await h.api('/api/tickets/1/session', { bearer: 'x'.repeat(43) });
    expect(bad.status).toBe(401);
  });
});
