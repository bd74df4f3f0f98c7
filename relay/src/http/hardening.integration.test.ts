import { describe, expect, it } from 'vitest';
import { type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

describe('hardening of pages and the app sign-in', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  const appLoad = (token: string) => fetch(`${h.relay.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token }) });

  it('a signed-URL token opens the app once; a replay is refused', async () => {
    const token = await h.helpdesk.sign();
    expect((await appLoad(token)).status).toBe(200);
    const replay = await appLoad(token);
    expect(replay.status).toBe(401);
    expect(await replay.text()).not.toContain('live-assist-boot');
  });

  it('a signed-URL token that claims a long life is refused', async () => {
    expect((await appLoad(await h.helpdesk.sign({ expiresIn: 3600 }))).status).toBe(401);
  });

  it('pages carry a script policy and framing rules, every response nosniff', async () => {
    const app = await appLoad(await h.helpdesk.sign());
    const appCsp = app.headers.get('content-security-policy') ?? '';
    expect(appCsp).toContain("script-src 'self'");
    expect(appCsp).toContain(`frame-ancestors 'self' ${new URL(h.helpdesk.config.baseUrl).origin}`);
    expect(app.headers.get('x-content-type-options')).toBe('nosniff');

    const agent = await h.agentToken();
    const view = await h.createSession(agent, 1);
    const join = await fetch(view.inviteUrl);
    expect(join.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(join.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(join.headers.get('x-content-type-options')).toBe('nosniff');

    const api = await h.api('/api/nothing-here');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    // Plain http here: no HSTS (it is sent only when PUBLIC_URL is https).
    expect(api.headers.get('strict-transport-security')).toBeNull();
  });

  it('keeps source maps off the web: the scripts are served, their maps are not', async () => {
    for (const [script, map] of [
      ['/app/assets/app.js', '/app/assets/app.js.map'],
      ['/customer/assets/customer.js', '/customer/assets/customer.js.map'],
    ]) {
      expect((await fetch(`${h.relay.url}${script}`)).status).toBe(200);
      const res = await fetch(`${h.relay.url}${map}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(res.status, map).toBe(404);
      expect(await res.text()).not.toContain('sources');
    }
  });

  it('answers malformed requests with a plain error: no stack trace, no file path', async () => {
    const agent = await h.agentToken();
    const answers = [
      await h.api('/api/sessions', {
        method: 'POST',
        bearer: agent,
        headers: { 'Content-Type': 'application/json' },
        body: '{"ticketId": 1,',
      }),
      await h.api('/api/sessions', {
        method: 'POST',
        bearer: agent,
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(2_000_000),
      }),
      await fetch(`${h.relay.url}/app/ticket_sidebar`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '%E0%A4%A',
      }),
      await fetch(`${h.relay.url}/customer/assets/%E0%A4%A`),
      await fetch(`${h.relay.url}/join/${'%'.repeat(3)}`),
    ];
    for (const res of answers) {
      const body = await res.text();
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      expect(body).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/work\/|\/home\/|\/tmp\/|SyntaxError|Error:/);
    }
  });
});
