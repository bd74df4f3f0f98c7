import { describe, expect, it } from 'vitest';
import { SessionViewSchema, type SessionView } from '@live-assist/protocol';
import { joinedCustomer, RESTRICTED_AGENT_ID, type Harness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';

describe('agent session API', () => {
  let h: Harness;
  let agent: string;
  withHarness((s) => ({ h, agent } = s));

  it('creates a session for an existing ticket and reads it back by id and by ticket', async () => {
    const created = await h.createSession(agent, 1);
    expect(SessionViewSchema.parse(created)).toMatchObject({ ticketId: 1, status: 'active', customerConnected: false });

    const byId = await h.api(`/api/sessions/${created.sessionId}`, { bearer: agent });
    expect(byId.status).toBe(200);
    const again = (await byId.json()) as SessionView;
    // Same invite link and specialist seat on every read, though only hashes are stored.
    expect(again.inviteUrl).toBe(created.inviteUrl);
    expect(again.specialistToken).toBe(created.specialistToken);

    const byTicket = await h.api('/api/tickets/1/session', { bearer: agent });
    expect(((await byTicket.json()) as SessionView).sessionId).toBe(created.sessionId);
  });

  it('answers 404 for a ticket the helpdesk does not know', async () => {
    const res = await h.api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId: 424242 } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ticket-not-found');
  });

  it("applies the agent's ticket_restriction: a group-restricted agent gets 403 on another group's ticket", async () => {
    const rita = await h.agentToken(String(RESTRICTED_AGENT_ID));
    const refused = await h.api('/api/sessions', { method: 'POST', bearer: rita, json: { ticketId: 1 } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ticket-forbidden');
    // Nor can the agent read another agent's session on that ticket, by ticket or by id.
    const adminSession = await h.createSession(agent, 1);
    expect((await h.api('/api/tickets/1/session', { bearer: rita })).status).toBe(403);
    expect((await h.api(`/api/sessions/${adminSession.sessionId}`, { bearer: rita })).status).toBe(403);
    expect((await h.api(`/api/sessions/${adminSession.sessionId}/invite/requester`, { method: 'POST', bearer: rita })).status).toBe(403);
    // Their own group's ticket works.
    const own = await h.api('/api/sessions', { method: 'POST', bearer: rita, json: { ticketId: 2 } });
    expect(own.status).toBe(201);
    // Rita's call is hers to end (the next tests start their own on this ticket).
    const ritaSession = (await own.json()) as SessionView;
    expect((await h.api(`/api/sessions/${ritaSession.sessionId}/end`, { method: 'POST', bearer: rita })).status).toBe(200);
  });

  it('rejects bad bodies and malformed JSON with 400, not 500', async () => {
    const bad = await h.api('/api/sessions', { method: 'POST', bearer: agent, json: { ticketId: 'abc' } });
    expect(bad.status).toBe(400);
    const malformed = await h.api('/api/sessions', {
      method: 'POST',
      bearer: agent,
      headers: { 'Content-Type': 'application/json' },
      body: '{ticketId: 1',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'bad-json' } });
  });

  it('404 for a ticket without sessions and for unknown session ids', async () => {
    expect((await h.api('/api/tickets/777/session', { bearer: agent })).status).toBe(404);
    expect((await h.api('/api/sessions/doesnotexist123', { bearer: agent })).status).toBe(404);
    expect((await h.api('/api/sessions/!!', { bearer: agent })).status).toBe(404);
    expect((await h.api('/api/nothing-here', { bearer: agent })).status).toBe(404);
  });

  it('a new session for the same ticket ends the earlier one and drops its sockets', async () => {
    const first = await h.createSession(agent, 2);
    const customer = await joinedCustomer(h, first);
    const phone = await h.connect(customer.participantToken);
    const second = await h.createSession(agent, 2);
    expect(second.sessionId).not.toBe(first.sessionId);
    const ended = await phone.next('session-ended');
    expect(ended.redirectUrl).toBe('https://www.wilo.com');
    expect(await phone.closed()).toBe(4410);
    const old = (await (await h.api(`/api/sessions/${first.sessionId}`, { bearer: agent })).json()) as SessionView;
    expect(old.status).toBe('ended');
    const latest = (await (await h.api('/api/tickets/2/session', { bearer: agent })).json()) as SessionView;
    expect(latest.sessionId).toBe(second.sessionId);
  });

  it('ending a session tells both sides and closes with 4410', async () => {
    const view = await h.createSession(agent, 1);
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);
    const console_ = await h.connect(view.specialistToken);
    const res = await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    expect(((await res.json()) as SessionView).status).toBe('ended');
    const toCustomer = await phone.next('session-ended');
    const toSpecialist = await console_.next('session-ended');
    expect(toCustomer).toMatchObject({ reason: 'ended-by-specialist', redirectUrl: 'https://www.wilo.com' });
    expect(toSpecialist.redirectUrl).toBeUndefined();
    expect(await phone.closed()).toBe(4410);
    expect(await console_.closed()).toBe(4410);
    // Ended sessions refuse new sockets.
    await expect(h.connect(customer.participantToken)).rejects.toThrow('HTTP 401');
  });

  it('healthz', async () => {
    const res = await fetch(`${h.relay.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
  });
});
