import type { AppSignInRequest, AppSignInResponse } from '@live-assist/protocol';
import { DEFAULT_FRESHDESK_AGENT, type FakeFreshdesk, type FakeFreshdeskAgent, type FakeFreshdeskTicket } from './fakes/freshdesk.js';

/**
 * The Freshdesk account of the test harness, shaped like the Zendesk one (testing/harness.ts):
 * ticket 1 in group 10 with a German requester, ticket 2 in group 20; an agent with global access,
 * one with group access to group 20 only, a colleague with global access, and a deactivated one.
 */
export const FRESHDESK_GROUP_AGENT_ID = 43;
export const FRESHDESK_COLLEAGUE_ID = 44;
export const FRESHDESK_INACTIVE_ID = 46;

export const FRESHDESK_TICKETS: FakeFreshdeskTicket[] = [
  {
    id: 1,
    subject: 'Pump makes a noise',
    requester: { id: 501, name: 'Carla Customer', email: 'carla@example.com', language: 'de' },
    group_id: 10,
  },
  { id: 2, subject: 'Second ticket', requester: { id: 502, name: 'Bob', email: 'bob@example.com', language: 'en' }, group_id: 20 },
];

export const FRESHDESK_AGENTS: FakeFreshdeskAgent[] = [
  DEFAULT_FRESHDESK_AGENT,
  { id: FRESHDESK_GROUP_AGENT_ID, name: 'Gregor Group', email: 'gregor@example.com', language: 'de', ticket_scope: 2, group_ids: [20] },
  { id: FRESHDESK_COLLEAGUE_ID, name: 'Thomas Berg', email: 'thomas@example.com', language: 'de', ticket_scope: 1 },
  { id: FRESHDESK_INACTIVE_ID, name: 'Olaf Old', email: 'olaf@example.com', language: 'en', ticket_scope: 1, active: false },
];

/** The app sign-in as the Freshdesk app's request template makes it (its body's fields may be overridden). */
export function appSignIn(
  relayUrl: string,
  secret: string | null,
  body: Partial<AppSignInRequest> | Record<string, unknown>,
): Promise<Response> {
  return fetch(`${relayUrl}/api/app/agent-session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(secret === null ? {} : { Authorization: `Bearer ${secret}` }) },
    body: JSON.stringify(body),
  });
}

/** Signs `agent` in (default: the global one) on a ticket they may see; answers the agent token. */
export async function freshdeskSignIn(relayUrl: string, fd: FakeFreshdesk, agent?: string | number): Promise<string> {
  const id = Number(agent ?? DEFAULT_FRESHDESK_AGENT.id);
  const known = FRESHDESK_AGENTS.find((a) => a.id === id);
  const res = await appSignIn(relayUrl, fd.config.appSecret, {
    agentId: String(id),
    agentEmail: known?.email ?? `agent-${id}@example.com`,
    ticketId: id === FRESHDESK_GROUP_AGENT_ID ? 2 : 1,
    account: fd.config.domain,
  });
  if (res.status !== 200) throw new Error(`app sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as AppSignInResponse).agentToken;
}
