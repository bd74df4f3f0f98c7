import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallNoteView, SessionView } from '@live-assist/protocol';
import type { TestSocket } from '../testing/ws-client.js';
import { callNoteKey } from './call-notes.js';
import { noteMarker } from './marker.js';
import { joinedCustomer, startHarness, ticketComments, waitFor, type SandboxHarness } from '../testing/harness.js';

/**
 * A customer who uploads many photos (sent in chat or not) and floods the chat must not stop the
 * call note: the sandbox, like Zendesk, refuses more than 50 uploads on one comment.
 */
let sr: SandboxHarness;

beforeAll(async () => {
  sr = await startHarness({}, { helpdesk: 'sandbox' });
});
afterAll(() => sr?.close());

async function photo(i: number): Promise<Uint8Array<ArrayBuffer>> {
  const img = sharp({ create: { width: 16, height: 16, channels: 3, background: { r: i % 256, g: 40, b: 90 } } });
  return new Uint8Array(await img.jpeg().toBuffer());
}

async function upload(view: SessionView, token: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const res = await sr.api(`/api/sessions/${view.sessionId}/uploads?purpose=photo`, { method: 'POST', bearer: token, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: { id: string } }).upload.id;
}

/** Waits until the sender sees its own message with this client id stored. */
async function stored(socket: TestSocket, clientId: string): Promise<void> {
  for (;;) {
    const refused = socket.frames.find((f) => f.type === 'chat-rejected' || f.type === 'error');
    if (refused) throw new Error(`refused: ${JSON.stringify(refused)}`);
    const frame = await socket.next('chat-message', 30_000);
    if (frame.message.clientId === clientId) return;
  }
}

describe('call note after a photo and chat flood (relay in sandbox mode, real outbox)', () => {
  it('after 60 uploads (51 sent in chat) and 2,000 chat messages the ticket gets the full text and every sent photo, over several comments', async () => {
    const ticketId = 1203;
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, ticketId);
    const { participantToken } = await joinedCustomer(sr, view, 'en-US');
    const specialist = await sr.connect(view.specialistToken);
    const customer = await sr.connect(participantToken);
    customer.send({
      type: 'location',
      location: { outcome: 'shared', latitude: 42.69751, longitude: 23.32415, accuracy: 12, capturedAt: Date.now() },
    });
    await specialist.next('customer-location');

    const ids: string[] = [];
    for (let i = 0; i < 60; i += 1) ids.push(await upload(view, participantToken, await photo(i)));
    const sent = ids.slice(0, 51);

    let n = 0;
    for (let i = 0; i < sent.length; i += 4) {
      n += 1;
      const clientId = `client-photo-${String(n).padStart(4, '0')}`;
      customer.send({ type: 'chat-send', clientId, text: `photo batch ${n}`, attachments: sent.slice(i, i + 4) });
      await stored(customer, clientId);
    }
    // Paced at the relay's frame budget (200 a second): a flood the relay accepts, not one it drops.
    const begun = Date.now();
    while (n < 2_000) {
      const allowedAt = begun + ((n - 13) / 150) * 1000;
      if (Date.now() < allowedAt) await new Promise((r) => setTimeout(r, allowedAt - Date.now()));
      let last = '';
      for (let b = 0; b < 100 && n < 2_000; b += 1) {
        n += 1;
        last = `client-text-${String(n).padStart(5, '0')}`;
        customer.send({ type: 'chat-send', clientId: last, text: `message number ${n}`, attachments: [] });
      }
      await stored(customer, last);
    }

    expect((await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    await waitFor(
      'the note to be written',
      async () => {
        const res = await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent });
        const note = ((await res.json()) as CallNoteView).note;
        if (note.state === 'failed') throw new Error(`note failed: ${JSON.stringify(note)}`);
        return note.state === 'done';
      },
      30_000,
    );

    const root = noteMarker(callNoteKey(view.sessionId));
    const ours = await waitFor(
      'every sent photo on the ticket',
      async () => {
        const comments = (await ticketComments(sr, ticketId)).filter((c) => c.plain_body.includes(root));
        const photos = comments.flatMap((c) => c.attachments).filter((a) => a.file_name.startsWith('photo-'));
        return photos.length >= sent.length ? comments : null;
      },
      30_000,
    );

    const [note, ...followUps] = ours;
    expect(note!.plain_body).toContain(`${root}\n`.trim());
    expect(note!.html_body).toContain('Live Assist video call');
    expect(note!.html_body).toMatch(/Privacy policy version 2024-01 accepted on .+ UTC \(language: en-US\)/);
    expect(note!.html_body).toContain('42.69751, 23.32415');
    // The whole chat goes with the note's text, as a transcript file.
    const transcript = note!.attachments.find((a) => a.content_type.startsWith('text/plain'));
    expect(transcript).toBeDefined();
    const text = await (await sr.zendesk(new URL(transcript!.content_url).pathname)).text();
    expect(text).toContain('message number 2000');
    expect(text).toContain('photo batch 1');

    expect(followUps.length).toBeGreaterThanOrEqual(1);
    for (const c of ours) expect(c.attachments.length).toBeLessThanOrEqual(50);
    for (const c of followUps) expect(c.html_body).toContain('More files from the Live Assist video call');
    const photos = ours.flatMap((c) => c.attachments).filter((a) => a.file_name.startsWith('photo-'));
    // Every photo sent in chat, none of the nine never sent.
    expect(photos).toHaveLength(51);
  }, 180_000);
});
