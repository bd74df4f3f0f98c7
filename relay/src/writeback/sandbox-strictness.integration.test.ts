import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallNoteView } from '@live-assist/protocol';
import type { HeldSessionView } from '../testing/harness.js';
import type { TestSocket } from '../testing/ws-client.js';
import { callNoteKey } from './call-notes.js';
import { noteMarker } from './marker.js';
import { joinedCustomer, startHarness, ticketComments, waitFor, type SandboxHarness } from '../testing/harness.js';

/** The sandbox made as strict as a real account: an admin's file-type rule, a burst of 429s. */
let sr: SandboxHarness;
beforeAll(async () => {
  sr = await startHarness({}, { helpdesk: 'sandbox' });
});
afterEach(async () => {
  expect((await sr.strictness({ refusedFileTypes: [], rateLimit: { requests: 0, retryAfterSeconds: 1 } })).status).toBe(200);
});
afterAll(() => sr?.close());

async function image(color: string, format: 'jpeg' | 'png'): Promise<Uint8Array<ArrayBuffer>> {
  const img = sharp({ create: { width: 32, height: 24, channels: 3, background: color } });
  return new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
}

async function upload(sessionId: string, token: string, purpose: 'photo' | 'snapshot', bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const res = await sr.api(`/api/sessions/${sessionId}/uploads?purpose=${purpose}`, { method: 'POST', bearer: token, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: { id: string } }).upload.id;
}

interface Call {
  view: HeldSessionView;
  customerToken: string;
  specialist: TestSocket;
  customer: TestSocket;
}

/** A call on the ticket; `during` runs while both sides are connected; returns the written note. */
async function call(ticketId: number, during: (c: Call) => Promise<void>) {
  const agent = await sr.agentToken();
  const view = await sr.createSession(agent, ticketId);
  const { participantToken } = await joinedCustomer(sr, view, 'en-US');
  const specialist = await sr.connect(view.specialistToken);
  const customer = await sr.connect(participantToken);
  await during({ view, customerToken: participantToken, specialist, customer });
  expect((await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
  specialist.close();
  customer.close();
  await waitFor(
    'the note to be written',
    async () =>
      ((await (await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent })).json()) as CallNoteView).note.state === 'done',
    20_000,
  );
  const marker = noteMarker(callNoteKey(view.sessionId));
  return (await ticketComments(sr, ticketId)).find((c) => c.plain_body.includes(marker))!;
}

describe('the relay against a sandbox as strict as a real Zendesk account', () => {
  it('a file type the admin refuses is left off the note, which names it', async () => {
    expect((await sr.strictness({ refusedFileTypes: ['png'] })).status).toBe(200);
    const note = await call(1203, async ({ view, customerToken, specialist, customer }) => {
      // A customer's photo reaches the note through the chat message it was sent with.
      const photo = await upload(view.sessionId, customerToken, 'photo', await image('#c00', 'jpeg'));
      customer.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'The label', attachments: [photo] });
      await specialist.next('chat-message');
      await upload(view.sessionId, view.specialistToken, 'snapshot', await image('#0c0', 'png'));
    });
    expect(note.attachments.length).toBeGreaterThan(0);
    expect(note.attachments.every((a) => !a.file_name.toLowerCase().endsWith('.png'))).toBe(true);
    expect(note.html_body).toContain('Not attached: the helpdesk refused these files');
    expect(note.html_body).toMatch(/\.png/);
  });

  it("a burst of 429s is waited out: the note names the requester and is in the agent's language", async () => {
    const note = await call(1201, async () => {
      // Spent by the relay's first calls once the call ends: reading the ticket for the note.
      expect((await sr.strictness({ rateLimit: { requests: 2, retryAfterSeconds: 1 } })).status).toBe(200);
    });
    const left = (await (await sr.strictness({})).json()) as { rateLimit: { requests: number } };
    expect(left.rateLimit.requests).toBe(0);
    expect(note.html_body).toContain('Georgi Ivanov');
    expect(note.html_body).toContain('Live Assist video call');
  });
});
