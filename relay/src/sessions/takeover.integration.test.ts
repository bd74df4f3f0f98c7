import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SessionViewSchema, type SessionView } from '@live-assist/protocol';
import { joinedCustomer, type FakeHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';
import { TestSocket } from '../testing/ws-client.js';

/** A second agent of the same account, signed in through the app like the first. */
async function agentToken(h: FakeHarness, id: number): Promise<string> {
  // The relay reads the agent's name from the helpdesk's users API, as with Zendesk's signed URLs.
  const token = await h.helpdesk.sign({ sub: String(id) });
  const res = await fetch(`${h.relay.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token }) });
  const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await res.text());
  if (res.status !== 200 || !boot?.[1]) throw new Error(`app load failed: ${res.status}`);
  return (JSON.parse(boot[1]) as { agentToken: string }).agentToken;
}

async function view(h: FakeHarness, agent: string, path: string, method = 'GET'): Promise<SessionView> {
  const res = await h.api(path, { method, bearer: agent });
  expect(res.status).toBe(200);
  return SessionViewSchema.parse(await res.json());
}

describe('the specialist seat belongs to the agent who holds it', () => {
  let h: FakeHarness;
  withHarness((s) => ({ h } = s));

  it('another agent sees who is in the call but gets no seat; only an explicit takeover moves it, the customer sees the new name, the audit records it', async () => {
    const maria = await agentToken(h, 42);
    const thomas = await agentToken(h, 44);
    const created = await h.createSession(maria, 1);
    expect(created.seat).toEqual({ holder: 'Ada Agent', yours: true });
    const { participantToken } = await joinedCustomer(h, created);
    const mariaSocket = await h.connect(created.specialistToken!);
    const customer = await h.connect(participantToken);

    // Reading the ticket's session (ids are sequential) hands out no seat.
    const seen = await view(h, thomas, '/api/tickets/1/session');
    expect(seen.specialistToken).toBeNull();
    expect(seen.seat).toEqual({ holder: 'Ada Agent', yours: false });
    expect((await view(h, thomas, `/api/sessions/${created.sessionId}`)).specialistToken).toBeNull();

    const taken = await view(h, thomas, `/api/sessions/${created.sessionId}/takeover`, 'POST');
    expect(taken.seat).toEqual({ holder: 'Thomas Berg', yours: true });
    expect(taken.specialistToken).toEqual(expect.any(String));

    // Maria's console is disconnected and her token no longer opens the seat.
    expect(await mariaSocket.closed(10_000)).toBe(4409);
    await expect(TestSocket.open(h.wsUrl(created.specialistToken!))).rejects.toThrow(/HTTP 401/);
    const mariaNow = await view(h, maria, `/api/sessions/${created.sessionId}`);
    expect(mariaNow.specialistToken).toBeNull();
    expect(mariaNow.seat).toEqual({ holder: 'Thomas Berg', yours: false });

    // The customer is told who is now on the call.
    for (;;) {
      const frame = await customer.next('participant', 10_000);
      if (frame.participant.role === 'specialist' && frame.participant.displayName === 'Thomas Berg') break;
    }
    const thomasSocket = await h.connect(taken.specialistToken!);
    thomasSocket.close();

    const db = new Database(join(h.dataDir, 'relay.sqlite'), { readonly: true });
    try {
      const audit = db
        .prepare('SELECT kind, from_agent_name, to_agent_name FROM session_audit WHERE session_id = ?')
        .all(created.sessionId);
      expect(audit).toEqual([{ kind: 'takeover', from_agent_name: 'Ada Agent', to_agent_name: 'Thomas Berg' }]);
    } finally {
      db.close();
    }
  });

  it('an ended call cannot be taken over (409)', async () => {
    const maria = await agentToken(h, 42);
    const thomas = await agentToken(h, 44);
    const created = await h.createSession(maria, 2);
    await h.api(`/api/sessions/${created.sessionId}/end`, { method: 'POST', bearer: maria });
    const res = await h.api(`/api/sessions/${created.sessionId}/takeover`, { method: 'POST', bearer: thomas });
    expect(res.status).toBe(409);
  });

  it('another agent can neither end the call nor start a new one over it; after taking over they can', async () => {
    const maria = await agentToken(h, 42);
    const thomas = await agentToken(h, 44);
    const created = await h.createSession(maria, 2);
    const ended = await h.api(`/api/sessions/${created.sessionId}/end`, { method: 'POST', bearer: thomas });
    expect(ended.status).toBe(409);
    expect(((await ended.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'seat-held',
      message: expect.stringContaining('Ada Agent'),
    });
    const started = await h.api('/api/sessions', { method: 'POST', bearer: thomas, json: { ticketId: 2 } });
    expect(started.status).toBe(409);
    // Maria's call is untouched: same session, still active, still hers.
    const still = await view(h, maria, '/api/tickets/2/session');
    expect(still).toMatchObject({ sessionId: created.sessionId, status: 'active', seat: { holder: 'Ada Agent', yours: true } });

    await view(h, thomas, `/api/sessions/${created.sessionId}/takeover`, 'POST');
    expect((await view(h, thomas, `/api/sessions/${created.sessionId}/end`, 'POST')).status).toBe('ended');
  });
});
