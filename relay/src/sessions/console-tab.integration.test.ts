import type { ApiError, AppConsoleLink, ConsoleTabOpenResponse, SessionView } from '@live-assist/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { freshdeskSignIn, FRESHDESK_COLLEAGUE_ID, FRESHDESK_GROUP_AGENT_ID } from '../testing/freshdesk-world.js';
import type { FreshdeskHarness } from '../testing/harness.js';

const BOOT = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/;

/**
 * "Open specialist view" from the Freshdesk sidebar: a one-time, two-minute link that opens the
 * console in a tab of its own, with a login of its own for the same agent.
 */
describe.each(ENGINES)('the console in a tab of its own (%s)', (engine) => {
  let a: EngineHarness<FreshdeskHarness>;
  let agentToken: string;
  let session: SessionView;

  beforeAll(async () => {
    a = await startHarnessOn(engine, {}, { helpdesk: 'freshdesk' });
    agentToken = await freshdeskSignIn(a.h.relay.url, a.h.helpdesk);
    session = (await (await act('start', { agentToken, ticketId: 1 })).json()) as SessionView;
  });
  afterAll(() => a?.close());

  function act(action: string, body: Record<string, unknown>) {
    return fetch(`${a.h.relay.url}/api/app/actions/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
  const open = (code: string) =>
    fetch(`${a.h.relay.url}/api/app/console-tab`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  const linkFor = async (token = agentToken, sessionId = session.sessionId) => {
    const res = await act('console', { agentToken: token, sessionId });
    return { res, link: res.ok ? ((await res.json()) as AppConsoleLink) : null };
  };
  const codeOf = (link: AppConsoleLink) => new URL(link.url).hash.slice(1);
  const errorOf = async (res: Response) => ((await res.json()) as ApiError).error.code;

  it('opens the console once: the tab gets a login of its own that holds the seat', async () => {
    const { res, link } = await linkFor();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const url = new URL(link!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${a.h.relay.url}/app/console`);
    const lifetime = Date.parse(link!.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(100_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);

    // The page itself carries no login; it only knows where the relay is.
    const page = await fetch(`${a.h.relay.url}/app/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(JSON.parse(BOOT.exec(await page.text())![1]!)).toEqual({ location: 'console_tab', relayUrl: a.h.relay.url });

    const opened = await open(codeOf(link!));
    expect(opened.status).toBe(200);
    const login = (await opened.json()) as ConsoleTabOpenResponse;
    expect(login).toMatchObject({ ticketId: 1, sessionId: session.sessionId, locale: 'en' });
    expect(login.agentToken).not.toBe(agentToken);
    const view = await a.h.api('/api/tickets/1/session', { bearer: login.agentToken });
    const seen = (await view.json()) as SessionView;
    expect(seen).toMatchObject({ sessionId: session.sessionId, seat: { yours: true } });
    expect(seen.specialistToken).toEqual(expect.any(String));

    const again = await open(codeOf(link!));
    expect(again.status).toBe(401);
    expect(await errorOf(again)).toBe('link-expired');

    const audit = await a.reader.privacy!.auditForTicket(1);
    expect(audit.filter((e) => e.action === 'console-tab-opened')).toEqual([
      expect.objectContaining({ actorId: '42', sessionId: session.sessionId, ticketId: 1 }),
    ]);
  });

  it('refuses a code that was altered, made up, or is another kind of token', async () => {
    const { link } = await linkFor();
    const code = codeOf(link!);
    const [payload, signature] = code.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...claims, e: Number(claims.e) + 3_600_000 })).toString('base64url');
    const live = (await (await act('live', { agentToken, sessionId: session.sessionId })).json()) as { liveToken: string };
    for (const bad of [`${longer}.${signature}`, 'x'.repeat(60), live.liveToken]) {
      const res = await open(bad);
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toBe('link-expired');
    }
    expect((await open('')).status).toBe(400);
    // The real code still works: the refusals spent nothing.
    expect((await open(code)).status).toBe(200);
  });

  it('stops working after two minutes', async () => {
    const { link } = await linkFor();
    a.h.advanceClock(121_000);
    try {
      const res = await open(codeOf(link!));
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toBe('link-expired');
    } finally {
      a.h.advanceClock(-121_000);
    }
  });

  it('is only for the agent in the call, and only while it is on', async () => {
    const gregor = await freshdeskSignIn(a.h.relay.url, a.h.helpdesk, FRESHDESK_GROUP_AGENT_ID);
    const refused = await linkFor(gregor);
    expect(refused.res.status).toBe(403);
    expect((await linkFor('x'.repeat(43))).res.status).toBe(401);
    const thomas = await freshdeskSignIn(a.h.relay.url, a.h.helpdesk, FRESHDESK_COLLEAGUE_ID);
    const colleague = await linkFor(thomas);
    expect(colleague.res.status).toBe(409);
    expect(await errorOf(colleague.res)).toBe('seat-held');

    await act('end', { agentToken, sessionId: session.sessionId });
    const ended = await linkFor();
    expect(ended.res.status).toBe(409);
    expect(await errorOf(ended.res)).toBe('session-ended');
  });
});
