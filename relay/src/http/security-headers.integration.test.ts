import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteTokenOf, joinedCustomer, startHarness, type FakeHarness } from '../testing/harness.js';
import { randomToken } from '../tokens.js';

/** A WebSocket upgrade the relay refuses: its status and headers (written past express, on the raw socket). */
function refusedUpgrade(url: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('upgrade', () => reject(new Error('the upgrade was accepted')));
    req.on('error', reject);
    req.end();
  });
}

describe('security headers', () => {
  let h: FakeHarness;
  let agent: string;
  beforeAll(async () => {
    h = await startHarness();
    agent = await h.agentToken();
  });
  afterAll(() => h.close());

  it('the join page, whatever it answers, sends no Referer and may not be framed', async () => {
    const live = await h.createSession(agent, 1);
    const ended = await h.createSession(agent, 2);
    await joinedCustomer(h, ended);
    expect((await h.api(`/api/sessions/${ended.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    const pages = [
      await fetch(live.inviteUrl),
      await fetch(`${h.relay.url}/join/${randomToken()}`),
      await fetch(`${h.relay.url}/join/${inviteTokenOf(ended.inviteUrl)}`),
      await fetch(`${h.relay.url}/join/%E0%A4%A`),
    ];
    expect(pages.map((res) => res.status)).toEqual([200, 404, 410, 400]);
    for (const res of pages) {
      expect(res.headers.get('referrer-policy'), res.url).toBe('no-referrer');
      expect(res.headers.get('content-security-policy'), res.url).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy'), res.url).toContain("script-src 'self'");
    }
  });

  it('every other answer carries a policy that loads nothing and may not be framed, error pages and 404s included', async () => {
    const answers = {
      health: await fetch(`${h.relay.url}/healthz`),
      'api 404': await h.api('/api/nothing-here'),
      'bad JSON': await h.api('/api/sessions', {
        method: 'POST',
        bearer: agent,
        headers: { 'Content-Type': 'application/json' },
        body: '{"ticketId":',
      }),
      'refused agent call': await h.api('/api/invite-delivery'),
      'page 404': await fetch(`${h.relay.url}/no-such-page`),
      'malformed URL': await h.api('/api/invites/%E0%A4%A'),
    };
    expect(Object.values(answers).map((res) => res.status)).toEqual([200, 404, 400, 401, 404, 400]);
    for (const [name, res] of Object.entries(answers)) {
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, name).toContain("default-src 'none'");
      expect(policy, name).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
    }

    // The plain pages keep their look: their one inline style is the one the policy names.
    const page = await (await fetch(`${h.relay.url}/no-such-page`)).text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(answers['page 404'].headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
  });

  it('the app pages keep their own policy: the helpdesk may frame them', async () => {
    const page = await fetch(`${h.relay.url}/app/ticket_sidebar`);
    expect(page.status).toBe(401);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`frame-ancestors 'self' ${new URL(h.helpdesk.config.baseUrl).origin}`);
  });

  it('a refused WebSocket upgrade carries the policy too', async () => {
    for (const path of [`/ws?token=${randomToken()}`, '/elsewhere']) {
      const refused = await refusedUpgrade(`${h.relay.url}${path}`);
      expect(refused.status, path).toBeGreaterThanOrEqual(400);
      expect(refused.headers['content-security-policy'], path).toContain("default-src 'none'");
      expect(refused.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });
});
