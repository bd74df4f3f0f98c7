import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '@live-assist/protocol';
import { inviteTokenOf, startHarness, type FakeHarness } from '../testing/harness.js';
import { randomToken } from '../tokens.js';

const CONSENT = { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en', consentText: 'I accept the privacy policy' };

/** One request naming an invite link, on each endpoint that takes one in turn; `from` is the X-Forwarded-For header. */
function inviteRequest(h: FakeHarness, i: number, token: string, from?: string): Promise<Response> {
  const headers: Record<string, string> = from === undefined ? {} : { 'X-Forwarded-For': from };
  switch (i % 4) {
    case 0:
      return fetch(`${h.relay.url}/join/${token}`, { headers });
    case 1:
      return h.api(`/api/invites/${token}`, { headers });
    case 2:
      return h.api(`/api/invites/${token}/join`, { method: 'POST', headers, json: CONSENT });
    default:
      return h.api(`/api/invites/${token}/end`, { method: 'POST', headers, bearer: randomToken() });
  }
}

async function statuses(requests: (() => Promise<Response>)[]): Promise<number[]> {
  const answers: number[] = [];
  for (const request of requests) {
    const res = await request();
    await res.arrayBuffer();
    answers.push(res.status);
  }
  return answers;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('guessing invite links, the relay on its own (no TRUST_PROXY)', () => {
  let h: FakeHarness;
  let invite: string;
  beforeAll(async () => {
    h = await startHarness();
    invite = inviteTokenOf((await h.createSession(await h.agentToken(), 1)).inviteUrl);
  });
  afterAll(() => h.close());

  it('answers 20 unknown links a minute from one address, then refuses every invite lookup from it for the rest of the minute', async () => {
    // Opening a real link does not count, however often.
    expect(await statuses(times(30, () => () => h.api(`/api/invites/${invite}`)))).toEqual(times(30, () => 200));

    // Misses on the page and on each API endpoint add up; an X-Forwarded-For header the relay was
    // not told to trust changes nothing.
    const misses = await statuses(times(20, (i) => () => inviteRequest(h, i, randomToken(), `198.51.100.${i}`)));
    expect(misses).toEqual(times(20, () => 404));

    // Past the limit a valid link is refused too: the answer must not tell a right guess from a wrong one.
    const api = await h.api(`/api/invites/${invite}`, { headers: { 'X-Forwarded-For': '198.51.100.200' } });
    expect(api.status).toBe(429);
    const wait = Number(api.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    const body = (await api.json()) as ApiError;
    expect(body.error.code).toBe('too-many-attempts');
    expect(body.error.message).toContain(`${wait} seconds`);

    const page = await fetch(`${h.relay.url}/join/${invite}`);
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('Too many attempts');
    expect(await statuses(times(4, (i) => () => inviteRequest(h, i, invite)))).toEqual(times(4, () => 429));

    // The agent's side is not limited.
    expect((await h.api('/api/invite-delivery', { bearer: await h.agentToken() })).status).toBe(200);

    // A minute after the misses the address may look links up again.
    h.advanceClock(60_000);
    expect((await h.api(`/api/invites/${invite}`)).status).toBe(200);
  });
});

describe('guessing invite links behind a proxy (TRUST_PROXY=loopback)', () => {
  let h: FakeHarness;
  let invite: string;
  beforeAll(async () => {
    h = await startHarness({ TRUST_PROXY: 'loopback' });
    invite = inviteTokenOf((await h.createSession(await h.agentToken(), 1)).inviteUrl);
  });
  afterAll(() => h.close());

  it('counts each client the proxy names on its own, and only the address the proxy saw', async () => {
    const guesser = '203.0.113.7';
    expect(await statuses(times(20, (i) => () => inviteRequest(h, i, randomToken(), guesser)))).toEqual(times(20, () => 404));
    expect((await h.api(`/api/invites/${invite}`, { headers: { 'X-Forwarded-For': guesser } })).status).toBe(429);
    // What the guesser writes to the left of the proxy's entry is not believed.
    const spoofed = await h.api(`/api/invites/${invite}`, { headers: { 'X-Forwarded-For': `192.0.2.1, ${guesser}` } });
    expect(spoofed.status).toBe(429);

    // A customer elsewhere, behind the same proxy, opens the link and may still mistype one.
    const customer = { 'X-Forwarded-For': '203.0.113.8' };
    expect((await h.api(`/api/invites/${invite}`, { headers: customer })).status).toBe(200);
    expect((await fetch(`${h.relay.url}/join/${randomToken()}`, { headers: customer })).status).toBe(404);
    // Without the header the client is the proxy itself, with its own count.
    expect((await h.api(`/api/invites/${invite}`)).status).toBe(200);
  });
});
