import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import { rows } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, waitFor } from '../testing/harness.js';
import { SHARED_RELAY_SECRET, spawnPeerRelay, type PeerRelay } from '../testing/peer-relay.js';
import { noteMarker } from './marker.js';
import { callNoteKey } from './call-notes.js';

/** Short, so the surviving relay takes a dead relay's note over within the test. */
const LEASE_MS = 1_500;
const HOUR = 60 * 60_000;

let a: EngineHarness | undefined;
let b: (PeerRelay & { child: ChildProcess }) | undefined;
afterEach(async () => {
  await b?.close();
  await a?.close();
});

describe('two relay processes on one PostgreSQL', () => {
  it.each([
    { when: 'before the helpdesk stored the note', commit: false },
    { when: 'after the helpdesk stored the note', commit: true },
  ])(
    'a call ended on relay B, which is killed writing its note $when: relay A writes the note, exactly once',
    async ({ commit }) => {
      a = await startHarnessOn(
        Engine.postgres,
        { RELAY_SECRET: SHARED_RELAY_SECRET },
        { writeback: { maxIdleMs: 200, leaseMs: LEASE_MS } },
      );
      const zendesk = a.h.helpdesk;
      const relayB = await spawnPeerRelay(a, {}, { writeback: { leaseMs: LEASE_MS } });
      b = relayB;

      // The call runs through relay A: both sides connected.
      const agent = await a.h.agentToken();
      const view = await a.h.createSession(agent, 1);
      const customer = await joinedCustomer(a.h, view);
      await a.h.connect(customer.participantToken);
      await a.h.connect(view.specialistToken);
      const reader = a.reader.database;
      await waitFor('the call to start', async () => {
        const [call] = await rows<{ call_started_at: number | null }>(
          reader,
          'SELECT call_started_at FROM writeback_calls WHERE session_id = ?',
          view.sessionId,
        );
        return call?.call_started_at;
      });

      // Relay A's clock runs an hour behind until B is dead, so B's note is not due for A yet: B
      // is the one writing when it is killed (else A's poll could take the note first).
      a.h.advanceClock(-HOUR);
      // The agent ends it through relay B (another request, another relay), whose note request hangs.
      zendesk.script('note', { hang: true, commit });
      const ended = await fetch(`${relayB.url}/api/sessions/${view.sessionId}/end`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${agent}` },
      });
      expect(ended.status).toBe(200);
      await zendesk.waitForRequests('note', 1);
      relayB.child.kill('SIGKILL');
      a.h.advanceClock(HOUR + 2 * LEASE_MS);

      const opKey = callNoteKey(view.sessionId);
      await waitFor(
        'relay A to finish the note',
        async () =>
          (await rows<{ status: string }>(reader, 'SELECT status FROM writeback_ops WHERE op_key = ?', opKey))[0]?.status === 'done',
        20_000,
      );
      const notes = zendesk.comments(1).filter((c) => c.plain_body.includes(noteMarker(opKey)));
      expect(notes).toHaveLength(1);
      expect(notes[0]?.public).toBe(false);
      // Relay A looked for B's note before deciding whether to write one.
      expect(zendesk.requests.filter((r) => r.method === 'PUT' && r.path.includes('/tickets/1'))).toHaveLength(commit ? 1 : 2);
    },
    60_000,
  );
});
