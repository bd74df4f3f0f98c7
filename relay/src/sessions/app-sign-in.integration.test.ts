import type { ApiError, AppSignInResponse } from '@live-assist/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { startFakeFreshdesk, DEFAULT_FRESHDESK_AGENT } from '../testing/fakes/freshdesk.js';
import { appSignIn, FRESHDESK_COLLEAGUE_ID, FRESHDESK_GROUP_AGENT_ID, FRESHDESK_INACTIVE_ID } from '../testing/freshdesk-world.js';
import type { FreshdeskHarness } from '../testing/harness.js';

/**
 * The Freshdesk app's sign-in (`POST /api/app/agent-session`), against a relay with
 * HELPDESK=freshdesk and the Freshdesk stand-in: the installation secret, then the agent and the
 * ticket as Freshdesk knows them, then the same agent token a Zendesk app load gives.
 */
describe.each(ENGINES)('the Freshdesk app sign-in (%s)', (engine) => {
  let a: EngineHarness<FreshdeskHarness>;
  const ada = { agentId: String(DEFAULT_FRESHDESK_AGENT.id), agentEmail: DEFAULT_FRESHDESK_AGENT.email, ticketId: 1 };

  beforeAll(async () => {
    a = await startHarnessOn(engine, {}, { helpdesk: 'freshdesk' });
  });
  afterAll(() => a?.close());
  beforeEach(() => {
    a.h.helpdesk.requests.length = 0;
  });

  const secret = () => a.h.helpdesk.config.appSecret;
  const signIn = (body: Record<string, unknown>, key: string | null = secret()) => appSignIn(a.h.relay.url, key, body);
  const codeOf = async (res: Response) => ((await res.json()) as ApiError).error.code;
  const signIns = async () => (await a.reader.privacy!.auditForTicket(1)).filter((e) => e.action === 'app-sign-in');

  it('with the installation secret and an active agent: an agent token, the sign-in in the audit log', async () => {
    const before = (await signIns()).length;
    const res = await signIn({ ...ada, account: a.h.helpdesk.config.domain });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as AppSignInResponse;
    expect(body).toMatchObject({ relayUrl: a.h.relay.url, agent: { id: '42', name: 'Ada Agent' } });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    // Freshdesk was asked who agent 42 is and whether they see ticket 1.
    expect(a.h.helpdesk.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/agents/42', 'GET /api/v2/tickets/1']);

    // The token is the agent token of the Zendesk path: it starts a session on the ticket.
    const created = await a.h.api('/api/sessions', { method: 'POST', bearer: body.agentToken, json: { ticketId: 1 } });
    expect(created.status).toBe(201);
    const entries = await signIns();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      actorKind: 'agent',
      actorId: '42',
      account: a.h.helpdesk.config.domain,
      ticketId: 1,
      detail: { via: 'install-secret' },
    });
  });

  it.each([
    ['no secret', null],
    ['a wrong secret', 'w'.repeat(48)],
    ['a short one', 'short'],
  ])('refuses %s (401) before asking Freshdesk anything', async (_what, key) => {
    const res = await signIn(ada, key);
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('unauthorized');
    expect(res.headers.get('www-authenticate') ?? 'Bearer').toBe('Bearer');
    expect(a.h.helpdesk.requests).toEqual([]);
  });

  it('refuses a caller without the secret before it reads the body', async () => {
    const res = await fetch(`${a.h.relay.url}/api/app/agent-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"agentId":',
    });
    expect(res.status).toBe(401);
  });

  it("refuses the secret of another account's installation, and a claim to run in another account", async () => {
    const other = await startFakeFreshdesk({ appSecret: 'another-installation-secret-0123456789' });
    try {
      expect((await signIn(ada, other.config.appSecret)).status).toBe(401);
    } finally {
      await other.close();
    }
    expect((await signIn({ ...ada, account: 'someone-else.freshdesk.com' })).status).toBe(401);
  });

  it.each([
    ['an agent Freshdesk does not know', { agentId: '777', agentEmail: 'ghost@example.com' }, 403, 'not-an-agent'],
    ['a deactivated agent', { agentId: String(FRESHDESK_INACTIVE_ID), agentEmail: 'olaf@example.com' }, 403, 'not-an-agent'],
    ['a requester (a contact)', { agentId: '501', agentEmail: 'carla@example.com' }, 403, 'not-an-agent'],
    ["an agent with another agent's email", { agentEmail: 'thomas@example.com' }, 401, 'unauthorized'],
    [
      'an agent on a ticket outside their groups',
      { agentId: String(FRESHDESK_GROUP_AGENT_ID), agentEmail: 'gregor@example.com' },
      403,
      'ticket-forbidden',
    ],
    ['a ticket that does not exist', { ticketId: 999 }, 404, 'ticket-not-found'],
    ['a body without the agent', { agentId: undefined }, 400, 'bad-request'],
  ])('refuses %s', async (_what, change, status, code) => {
    const res = await signIn({ ...ada, ...change });
    expect(res.status).toBe(status);
    expect(await codeOf(res)).toBe(code);
  });

  it('answers 502 when Freshdesk cannot say who the agent is', async () => {
    // An agent no earlier sign-in looked up: the relay keeps an agent's record for a minute.
    a.h.helpdesk.script('agent', { status: 500 }, { status: 500 }, { status: 500 });
    const res = await signIn({ ...ada, agentId: String(FRESHDESK_COLLEAGUE_ID), agentEmail: 'thomas@example.com' });
    expect(res.status).toBe(502);
    expect(await codeOf(res)).toBe('helpdesk-unavailable');
  });
});
