import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FRESHDESK_AGENT, startFakeFreshdesk, type FakeFreshdesk, type FakeFreshdeskAgent } from '../testing/fakes/freshdesk.js';
import { FreshdeskHelpdesk } from './freshdesk.js';
import { AgentVerificationError, HelpdeskUnavailableError, NotAnAgentError, type AgentCredential } from './types.js';

/**
 * The relay's Freshdesk adapter against the Freshdesk stand-in: the exact requests it makes (paths,
 * auth, bodies), and its decisions on agents and tickets from what Freshdesk answers.
 */
const GROUP_AGENT: FakeFreshdeskAgent = {
  id: 43,
  name: 'Gregor Group',
  email: 'gregor@example.com',
  language: 'de',
  ticket_scope: 2,
  group_ids: [20],
};
const RESTRICTED: FakeFreshdeskAgent = { id: 45, name: 'Rita Restricted', email: 'rita@example.com', language: 'bg', ticket_scope: 3 };
const INACTIVE: FakeFreshdeskAgent = {
  id: 46,
  name: 'Olaf Old',
  email: 'olaf@example.com',
  language: 'en',
  ticket_scope: 1,
  active: false,
};
const COLLABORATOR: FakeFreshdeskAgent = {
  id: 47,
  name: 'Cora Collab',
  email: 'cora@example.com',
  language: 'en',
  ticket_scope: 1,
  type: 'collaborator',
};

let fd: FakeFreshdesk;
let helpdesk: FreshdeskHelpdesk;
const waits: number[] = [];

beforeAll(async () => {
  fd = await startFakeFreshdesk({
    tickets: [
      {
        id: 1,
        subject: 'Pump makes a noise',
        requester: { id: 501, name: 'Carla Customer', email: 'carla@example.com', language: 'de' },
        group_id: 10,
      },
      {
        id: 2,
        subject: 'Second',
        requester: { id: 502, name: 'Bob', email: 'bob@example.com', language: 'en' },
        group_id: 20,
        responder_id: RESTRICTED.id,
      },
    ],
    agents: [DEFAULT_FRESHDESK_AGENT, GROUP_AGENT, RESTRICTED, INACTIVE, COLLABORATOR],
  });
  helpdesk = new FreshdeskHelpdesk(fd.config, { sleep: async (ms) => void waits.push(ms) });
});
afterAll(() => fd.close());
beforeEach(() => {
  fd.requests.length = 0;
  waits.length = 0;
});

const seen = () => fd.requests.map((r) => `${r.method} ${r.path}`);
const claim = (over: Partial<Extract<AgentCredential, { kind: 'install-secret' }>> = {}): AgentCredential => ({
  kind: 'install-secret',
  secret: fd.config.appSecret,
  agentId: String(DEFAULT_FRESHDESK_AGENT.id),
  email: DEFAULT_FRESHDESK_AGENT.email,
  ...over,
});

describe("the relay's Freshdesk adapter", () => {
  it('reads a ticket with its requester, and the language from the contact', async () => {
    const ticket = await helpdesk.getTicket(1);
    expect(ticket).toEqual({
      id: 1,
      subject: 'Pump makes a noise',
      requester: { name: 'Carla Customer', email: 'carla@example.com', locale: 'de' },
    });
    expect(seen()).toEqual(['GET /api/v2/tickets/1?include=requester', 'GET /api/v2/contacts/501']);
    expect(await helpdesk.getTicket(999)).toBeNull();
  });

  it('posts a public reply as JSON with the agent as its author', async () => {
    await helpdesk.addPublicComment(1, { html: '<p>Join the video call: <a href="https://x/join/abc">link</a></p>', authorId: '42' });
    expect(seen()).toEqual(['POST /api/v2/tickets/1/reply']);
    expect(fd.requests[0]?.contentType).toBe('application/json');
    expect(fd.writes.at(-1)).toMatchObject({
      route: 'reply',
      ticketId: 1,
      private: false,
      userId: 42,
      body: expect.stringContaining('Join the video call'),
    });
  });

  it("says what Freshdesk refused, in Freshdesk's error shape", async () => {
    const refusal = {
      description: 'Validation failed',
      errors: [{ field: 'from_email', message: 'No email config exists', code: 'invalid_value' }],
    };
    fd.script('reply', { status: 400, body: JSON.stringify(refusal) });
    await expect(helpdesk.addPublicComment(1, { html: '<p>x</p>', authorId: '42' })).rejects.toThrow(
      /400.*Validation failed; from_email: No email config exists \[invalid_value\]/,
    );
  });

  it('waits for Retry-After on a 429 and gives up (helpdesk unavailable) past what a person waits', async () => {
    fd.script('ticket', { status: 429, headers: { 'Retry-After': '3' } });
    expect((await helpdesk.getTicket(1))?.id).toBe(1);
    expect(waits).toEqual([3000]);
    fd.script('ticket', { status: 429, headers: { 'Retry-After': '120' } });
    await expect(helpdesk.getTicket(1)).rejects.toBeInstanceOf(HelpdeskUnavailableError);
  });

  it('does not run with a wrong API key', async () => {
    const wrong = new FreshdeskHelpdesk({ ...fd.config, apiKey: 'not-the-key' });
    await expect(wrong.getTicket(1)).rejects.toThrow(/401.*You have to be logged in/);
  });

  describe('verifying the agent an app load claims', () => {
    it('accepts the installation secret with an active agent and their email, and reads the agent from Freshdesk', async () => {
      const agent = await helpdesk.verifyAgent(claim({ email: ' ADA@example.com', account: fd.config.domain }), 'ticket_sidebar');
      expect(agent).toEqual({ account: fd.config.domain, agentId: '42', name: 'Ada Agent', email: 'ada@example.com', locale: 'en' });
      expect(seen()).toEqual(['GET /api/v2/agents/42']);
    });

    it.each([
      ['a wrong secret', () => claim({ secret: 'x'.repeat(40) }), AgentVerificationError],
      ['another account', () => claim({ account: 'evil.freshdesk.com' }), AgentVerificationError],
      ["another agent's email", () => claim({ email: GROUP_AGENT.email }), AgentVerificationError],
      ['a signed launch token (Zendesk)', (): AgentCredential => ({ kind: 'signed-launch', token: 'eyJ.x.y' }), AgentVerificationError],
      ['an unknown agent', () => claim({ agentId: '777', email: 'ghost@example.com' }), NotAnAgentError],
      ['a requester (a contact, not an agent)', () => claim({ agentId: '501', email: 'carla@example.com' }), NotAnAgentError],
      ['a deactivated agent', () => claim({ agentId: String(INACTIVE.id), email: INACTIVE.email }), NotAnAgentError],
      ['a collaborator', () => claim({ agentId: String(COLLABORATOR.id), email: COLLABORATOR.email }), NotAnAgentError],
      ['an id that is not one', () => claim({ agentId: '../tickets/1' }), NotAnAgentError],
    ])('refuses %s', async (_what, credential, error) => {
      await expect(helpdesk.verifyAgent(credential(), 'ticket_sidebar')).rejects.toBeInstanceOf(error);
    });

    it('checks the secret before asking Freshdesk anything', async () => {
      await expect(helpdesk.verifyAgent(claim({ secret: 'y'.repeat(40) }), 'ticket_sidebar')).rejects.toThrow(AgentVerificationError);
      expect(seen()).toEqual([]);
    });
  });

  describe("applying the agent's Freshdesk ticket scope", () => {
    it.each([
      ['global access', DEFAULT_FRESHDESK_AGENT.id, 1, 'allowed'],
      ["group access, the ticket's group", GROUP_AGENT.id, 2, 'allowed'],
      ['group access, another group', GROUP_AGENT.id, 1, 'forbidden'],
      ['restricted access, assigned to them', RESTRICTED.id, 2, 'allowed'],
      ['restricted access, not theirs', RESTRICTED.id, 1, 'forbidden'],
      ['a deactivated agent', INACTIVE.id, 1, 'forbidden'],
      ['a collaborator', COLLABORATOR.id, 1, 'forbidden'],
      ['an unknown agent', 777, 1, 'forbidden'],
      ['a ticket that does not exist', DEFAULT_FRESHDESK_AGENT.id, 999, 'not-found'],
    ])('%s', async (_what, agentId, ticketId, expected) => {
      expect(await helpdesk.ticketAccess(String(agentId), ticketId)).toBe(expected);
    });

    it('asks Freshdesk for the agent once a minute, the ticket every time', async () => {
      await helpdesk.ticketAccess(String(GROUP_AGENT.id), 2);
      await helpdesk.ticketAccess(String(GROUP_AGENT.id), 2);
      expect(seen().filter((r) => r.startsWith(`GET /api/v2/agents/`)).length).toBeLessThanOrEqual(1);
      expect(seen().filter((r) => r === 'GET /api/v2/tickets/2')).toHaveLength(2);
    });
  });
});
