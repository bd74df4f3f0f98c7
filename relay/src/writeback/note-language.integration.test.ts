import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallNoteView, SessionView } from '@live-assist/protocol';
import { callNoteKey } from './call-notes.js';
import { noteMarker } from './marker.js';
import { joinedCustomer, startHarness, ticketComments, waitFor, type SandboxHarness } from '../testing/harness.js';

/** Sandbox seed: Maria Petrova (10001) reads Zendesk in en-US, Thomas Berger (10005) in de. */
const MARIA = 10001;
const THOMAS = 10005;

let sr: SandboxHarness;
beforeAll(async () => {
  sr = await startHarness({}, { helpdesk: 'sandbox' });
});
afterAll(() => sr?.close());

/** Runs a call on the ticket as the agent and returns the note the relay wrote. */
async function callNote(ticketId: number, agentId: number, before?: (agent: string, view: SessionView) => Promise<void>) {
  const agent = await sr.agentToken(agentId);
  const view = await sr.createSession(agent, ticketId);
  await before?.(agent, view);
  const { participantToken } = await joinedCustomer(sr, view, 'en-US');
  // A call is both sides connected; a session nobody joined gets no note.
  const specialist = await sr.connect(view.specialistToken);
  const customer = await sr.connect(participantToken);
  expect((await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
  await waitFor('the note to be written', async () => {
    const res = await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent });
    return ((await res.json()) as CallNoteView).note.state === 'done';
  });
  specialist.close();
  customer.close();
  const marker = noteMarker(callNoteKey(view.sessionId));
  return (await ticketComments(sr, ticketId)).find((c) => c.plain_body.includes(marker))!;
}

describe("the call note is written in the agent's language, the invite in the requester's", () => {
  it("a German-speaking agent on an English-speaking requester's ticket gets a German note", async () => {
    const note = await callNote(1203, THOMAS);
    expect(note.html_body).toContain('Live-Assist-Videoanruf');
    expect(note.html_body).not.toContain('Live Assist video call');
    expect(note.html_body).toContain('John Carter');
  });

  it("an English-speaking agent on a Bulgarian requester's ticket: invite in Bulgarian, note in English", async () => {
    const note = await callNote(1201, MARIA, async (agent, view) => {
      const res = await sr.api(`/api/sessions/${view.sessionId}/invite/requester`, { method: 'POST', bearer: agent, json: {} });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { locale: string }).locale).toBe('bg');
      const invite = (await ticketComments(sr, 1201)).at(-1)!;
      expect(invite.public).toBe(true);
      expect(invite.html_body).toContain('Здравейте, Georgi Ivanov');
    });
    expect(note.html_body).toContain('Live Assist video call');
    expect(note.html_body).not.toContain('Видеоразговор');
    expect(note.html_body).toContain('Georgi Ivanov');
  });
});
