import type { ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { InviteSent } from '@live-assist/protocol';
import { Engine } from '../db/database.js';
import { ENGINES, rows } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, waitFor, type FreshdeskHarness } from '../testing/harness.js';
import { SHARED_RELAY_SECRET, spawnPeerRelay, type PeerRelay } from '../testing/peer-relay.js';
import { callNoteKey } from './call-notes.js';
import { noteMarker } from './marker.js';

/**
 * A whole relay with HELPDESK=freshdesk against the Freshdesk stand-in: the agent signs in through
 * the app sign-in, invites the requester with a public reply written as the agent, the call runs,
 * and one private note lands on the ticket, also when the relay writing it is killed.
 */
let a: EngineHarness<FreshdeskHarness> | undefined;
let b: (PeerRelay & { child: ChildProcess }) | undefined;
afterEach(async () => {
  await b?.close();
  await a?.close();
  a = b = undefined;
});

const status = async (h: EngineHarness<FreshdeskHarness>, opKey: string) =>
  (await rows<{ status: string }>(h.reader.database, 'SELECT status FROM writeback_ops WHERE op_key = ?', opKey))[0]?.status;

describe.each(ENGINES)('a call on a relay serving Freshdesk (%s)', (engine) => {
  it('invite as a public reply by the agent; after the call one private note with the photo, by the agent', async () => {
    a = await startHarnessOn(engine, {}, { helpdesk: 'freshdesk' });
    const fd = a.h.helpdesk;
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent, 1);

    const sent = await a.h.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent });
    expect(sent.status).toBe(201);
    // The requester's language comes from their Freshdesk contact.
    expect(((await sent.json()) as InviteSent).locale).toBe('de');
    const reply = fd.writes.find((w) => w.route === 'reply');
    expect(reply).toMatchObject({ ticketId: 1, private: false, userId: 42, body: expect.stringContaining(view.inviteUrl) });

    const { participantToken } = await joinedCustomer(a.h, view);
    const specialist = await a.h.connect(view.specialistToken);
    const customer = await a.h.connect(participantToken);
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#c00' } })
      .jpeg()
      .toBuffer();
    const up = await a.h.api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
      method: 'POST',
      bearer: participantToken,
      body: new Uint8Array(jpeg),
    });
    expect(up.status).toBe(201);
    const photoId = ((await up.json()) as { upload: { id: string } }).upload.id;
    customer.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'The label says E21', attachments: [photoId] });
    await specialist.next('chat-message');

    expect((await a.h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    const opKey = callNoteKey(view.sessionId);
    await waitFor('the note', async () => (await status(a!, opKey)) === 'done', 20_000);

    const notes = fd.notes(1);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ private: true, user_id: 42 });
    expect(notes[0]?.body_text).toContain(noteMarker(opKey));
    expect(notes[0]?.body_text).toContain('The label says E21');
    expect(notes[0]?.attachments).toHaveLength(1);
    expect(notes[0]?.attachments[0]?.content_type).toBe('image/jpeg');
  }, 60_000);
});

describe('two relay processes on one PostgreSQL, serving Freshdesk', () => {
  const LEASE_MS = 1_500;
  const HOUR = 60 * 60_000;

  it.each([
    { when: 'before Freshdesk stored the note', commit: false },
    { when: 'after Freshdesk stored the note', commit: true },
  ])(
    'relay B is killed writing the note $when: relay A writes it, exactly once',
    async ({ commit }) => {
      a = await startHarnessOn(
        Engine.postgres,
        { RELAY_SECRET: SHARED_RELAY_SECRET },
        // A short request timeout: on a loaded machine relay A's poll can claim the note before B
        // does (A's clock, an hour behind, makes its lease look lapsed to B); its request then
        // hangs as B's would, and must give up well within the test's backstop, not after 60 s.
        { helpdesk: 'freshdesk', writeback: { maxIdleMs: 200, leaseMs: LEASE_MS, requestTimeoutMs: 5_000 } },
      );
      const fd = a.h.helpdesk;
      const relayB = await spawnPeerRelay(a, {}, { writeback: { leaseMs: LEASE_MS } });
      b = relayB;

      const agent = await a.h.agentToken();
      const view = await a.h.createSession(agent, 1);
      const customer = await joinedCustomer(a.h, view);
      await a.h.connect(customer.participantToken);
      await a.h.connect(view.specialistToken);
      await waitFor('the call to start', async () => {
        const [call] = await rows<{ call_started_at: number | null }>(
          a!.reader.database,
          'SELECT call_started_at FROM writeback_calls WHERE session_id = ?',
          view.sessionId,
        );
        return call?.call_started_at;
      });

      // Relay A's clock runs an hour behind until B is dead, so B is the one writing when it is killed.
      a.h.advanceClock(-HOUR);
      fd.script('note', { hang: true, commit });
      const ended = await fetch(`${relayB.url}/api/sessions/${view.sessionId}/end`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${agent}` },
      });
      expect(ended.status).toBe(200);
      await fd.waitForRequests('note', 1);
      relayB.child.kill('SIGKILL');
      a.h.advanceClock(HOUR + 2 * LEASE_MS);

      const opKey = callNoteKey(view.sessionId);
      // A backstop, not a wait: on a loaded machine a relay's lease and poll take their time.
      await waitFor('relay A to finish the note', async () => (await status(a!, opKey)) === 'done', 45_000);
      expect(fd.notes(1).filter((n) => n.body_text.includes(noteMarker(opKey)))).toHaveLength(1);
      // Relay A looked for B's note before deciding whether to write one.
      expect(fd.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/tickets/1/notes')).toHaveLength(commit ? 1 : 2);
    },
    120_000,
  );
});
