import type { ApiError, CallNoteView, InviteSent, SessionView } from '@live-assist/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { freshdeskSignIn, FRESHDESK_GROUP_AGENT_ID } from '../testing/freshdesk-world.js';
import type { FreshdeskHarness } from '../testing/harness.js';

/**
 * The Freshdesk app's agent actions (`POST /api/app/actions/<action>`, the agent token in the
 * body, as a request template sends them), against a relay with HELPDESK=freshdesk: the sidebar's
 * whole journey, and the same refusals the agent endpoints give.
 */
describe.each(ENGINES)('the app actions with the agent token in the body (%s)', (engine) => {
  let a: EngineHarness<FreshdeskHarness>;
  let agentToken: string;

  beforeAll(async () => {
    a = await startHarnessOn(engine, {}, { helpdesk: 'freshdesk' });
    agentToken = await freshdeskSignIn(a.h.relay.url, a.h.helpdesk);
  });
  afterAll(() => a?.close());

  const act = (action: string, body: Record<string, unknown>) =>
    fetch(`${a.h.relay.url}/api/app/actions/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const codeOf = async (res: Response) => ((await res.json()) as ApiError).error.code;

  it('starts a session, sends the link as a public reply, ends it, and tells where the note stands', async () => {
    const none = await act('session', { agentToken, ticketId: 1 });
    expect(none.status).toBe(404);

    const started = await act('start', { agentToken, ticketId: 1 });
    expect(started.status).toBe(201);
    expect(started.headers.get('cache-control')).toBe('no-store');
    const session = (await started.json()) as SessionView;
    expect(session).toMatchObject({ ticketId: 1, status: 'active', seat: { yours: true } });

    const found = (await (await act('session', { agentToken, ticketId: 1 })).json()) as SessionView;
    expect(found.sessionId).toBe(session.sessionId);

    const invited = await act('invite', { agentToken, sessionId: session.sessionId });
    expect(invited.status).toBe(201);
    expect(((await invited.json()) as InviteSent).channel).toBe('ticket-comment');
    const reply = a.h.helpdesk.writes.find((w) => w.route === 'reply' && w.ticketId === 1);
    expect(JSON.stringify(reply)).toContain(session.inviteUrl);

    const ended = await act('end', { agentToken, sessionId: session.sessionId });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as SessionView).status).toBe('ended');

    const note = await act('note', { agentToken, sessionId: session.sessionId });
    expect(note.status).toBe(200);
    expect((await note.json()) as CallNoteView).toHaveProperty('note');
  });

  it.each([
    ['an empty agent token', { agentToken: '' }, 401, 'unauthorized'],
    ['a made-up agent token', { agentToken: 'x'.repeat(43) }, 401, 'unauthorized'],
    // A template cannot set it per call, so the header is not a way in here.
    ['a token sent as a header only', { headerOnly: true }, 400, 'bad-request'],
    ['no ticket', { ticketId: undefined }, 400, 'bad-request'],
  ])('refuses %s', async (_what, change, status, code) => {
    const { headerOnly, ...rest } = change as Record<string, unknown>;
    const body = { agentToken: headerOnly ? undefined : agentToken, ticketId: 1, ...rest };
    const res = await fetch(`${a.h.relay.url}/api/app/actions/start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(headerOnly ? { Authorization: `Bearer ${agentToken}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    expect(await codeOf(res)).toBe(code);
  });

  it("applies the agent's ticket access as the agent endpoints do", async () => {
    const gregor = await freshdeskSignIn(a.h.relay.url, a.h.helpdesk, FRESHDESK_GROUP_AGENT_ID);
    const res = await act('start', { agentToken: gregor, ticketId: 1 });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('ticket-forbidden');
  });

  it('has no action besides the listed ones', async () => {
    expect((await act('takeover', { agentToken, sessionId: 'abcdefgh' })).status).toBe(404);
  });
});
