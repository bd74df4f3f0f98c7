import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallNoteView, SessionView, TicketNoteStatus } from '@live-assist/protocol';
import { noteMarker } from './marker.js';
import { callNoteKey } from './call-notes.js';
import { joinedCustomer, startHarness, ticketComments, waitFor, type SandboxHarness } from '../testing/harness.js';

let sr: SandboxHarness;

beforeAll(async () => {
  sr = await startHarness({}, { helpdesk: 'sandbox', writeback: { vanishGraceMs: 400 } });
});
afterAll(() => sr?.close());

async function image(color: string, format: 'jpeg' | 'png'): Promise<Uint8Array<ArrayBuffer>> {
  const img = sharp({ create: { width: 32, height: 24, channels: 3, background: color } });
  return new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
}

async function upload(sessionId: string, token: string, purpose: 'photo' | 'snapshot' | 'still', bytes: Uint8Array<ArrayBuffer>) {
  const res = await sr.api(`/api/sessions/${sessionId}/uploads?purpose=${purpose}`, { method: 'POST', bearer: token, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: { id: string } }).upload.id;
}

async function noteStatus(agent: string, view: SessionView): Promise<TicketNoteStatus> {
  const res = await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent });
  expect(res.status).toBe(200);
  return ((await res.json()) as CallNoteView).note;
}

describe('call note written to the ticket (relay in sandbox mode, real outbox)', () => {
  it('one internal note after the agent ends the call: chat, consent, location, photos and snapshots', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1203);
    expect((await noteStatus(agent, view)).state).toBe('none');

    const { participantToken } = await joinedCustomer(sr, view, 'en-US');
    const specialist = await sr.connect(view.specialistToken);
    const customer = await sr.connect(participantToken);
    customer.send({
      type: 'location',
      location: { outcome: 'shared', latitude: 51.50735, longitude: -0.12776, accuracy: 18, capturedAt: Date.now() },
    });
    await specialist.next('customer-location');

    specialist.send({ type: 'chat-send', clientId: 'client-msg-0001', text: 'Please show me the pump label.', attachments: [] });
    await customer.next('chat-message');
    const photoId = await upload(view.sessionId, participantToken, 'photo', await image('#c00', 'jpeg'));
    customer.send({ type: 'chat-send', clientId: 'client-msg-0002', text: 'Here: <b>E21</b> & "blinking"', attachments: [photoId] });
    await specialist.next('chat-message');
    await upload(view.sessionId, view.specialistToken, 'snapshot', await image('#0c0', 'png'));
    await upload(view.sessionId, view.specialistToken, 'still', await image('#00c', 'png'));

    const end = await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    expect(end.status).toBe(200);

    const callView = (await (await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent })).json()) as CallNoteView;
    expect(Date.parse(callView.callStartedAt ?? '')).toBeLessThanOrEqual(Date.now());

    const done = await waitFor('the note to be written', async () => {
      const s = await noteStatus(agent, view);
      return s.state === 'done' ? s : null;
    });
    expect(done.doneAt).not.toBeNull();

    const notes = (await ticketComments(sr, 1203)).filter((c) => c.plain_body.includes(noteMarker(callNoteKey(view.sessionId))));
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note!.public).toBe(false);
    // Written as the agent who ran the call, and the ticket is tagged for views and reports.
    expect((note as unknown as { author_id: number }).author_id).toBe(10001);
    const ticket = (await (await sr.zendesk('/api/v2/tickets/1203.json')).json()) as { ticket: { tags: string[] } };
    expect(ticket.ticket.tags).toContain('live_assist');
    expect(note!.html_body).toContain('Live Assist video call');
    expect(note!.html_body).toContain('John Carter');
    expect(note!.html_body).toContain('Maria Petrova');
    expect(note!.html_body).toContain('Please show me the pump label.');
    expect(note!.html_body).toContain('Here: &lt;b&gt;E21&lt;/b&gt; &amp; ');
    expect(note!.html_body).not.toContain('<b>E21</b>');
    expect(note!.html_body).toMatch(/Privacy policy version 2024-01 accepted on .+ UTC \(language: en-US\)/);
    expect(note!.html_body).toContain('51.50735, -0.12776 (accuracy ± 18 m');
    expect(note!.html_body).toContain('openstreetmap.org/?mlat=51.50735&amp;mlon=-0.12776');
    expect(note!.attachments.map((a) => a.file_name)).toEqual([
      expect.stringMatching(/^photo-1-.*\.jpg$/),
      expect.stringMatching(/^snapshot-1-.*\.png$/),
    ]);
    expect(note!.attachments.map((a) => a.content_type)).toEqual(['image/jpeg', 'image/png']);

    // Ending again (or a second event) never writes a second note.
    await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    await new Promise((r) => setTimeout(r, 300));
    expect((await ticketComments(sr, 1203)).filter((c) => c.plain_body.includes(noteMarker(callNoteKey(view.sessionId))))).toHaveLength(1);
  });

  it('a customer who vanished mid-call and did not return within the grace period: session ends, one note (German ticket, English-speaking agent: the note is in English)', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1202);
    const { participantToken } = await joinedCustomer(sr, view, 'de-DE');
    const specialist = await sr.connect(view.specialistToken);
    const customer = await sr.connect(participantToken);
    await specialist.next('participant');
    customer.close();

    const ended = await waitFor('the session to end', async () => {
      const res = await sr.api(`/api/sessions/${view.sessionId}`, { bearer: agent });
      const v = (await res.json()) as SessionView;
      return v.status === 'ended' ? v : null;
    });
    expect(ended.endedAt).not.toBeNull();
    expect(await specialist.closed()).toBe(4410);
    await waitFor('the note', async () => (await noteStatus(agent, view)).state === 'done');
    const notes = (await ticketComments(sr, 1202)).filter((c) => c.plain_body.includes(noteMarker(callNoteKey(view.sessionId))));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.html_body).toContain('Live Assist video call');
    expect(notes[0]!.html_body).toContain('the customer disconnected and did not return');
    expect(notes[0]!.html_body).toContain('Anna Schmidt');
  });

  it('a customer who comes back within the grace period keeps the call going', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1204);
    const { participantToken } = await joinedCustomer(sr, view, 'en-US');
    await sr.connect(view.specialistToken);
    const first = await sr.connect(participantToken);
    first.close();
    await new Promise((r) => setTimeout(r, 150));
    await sr.connect(participantToken);
    await new Promise((r) => setTimeout(r, 600));
    const res = await sr.api(`/api/sessions/${view.sessionId}`, { bearer: agent });
    expect(((await res.json()) as SessionView).status).toBe('active');
    expect((await noteStatus(agent, view)).state).toBe('none');
  });

  it('no note for a session the customer never joined', async () => {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, 1205);
    await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });
    await new Promise((r) => setTimeout(r, 200));
    expect((await noteStatus(agent, view)).state).toBe('none');
    expect((await ticketComments(sr, 1205)).some((c) => c.plain_body.includes('Live Assist ref'))).toBe(false);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('call notes across a relay restart', () => {
  it('a call cut by a restart, whose customer never came back, ends after the grace period and gets its note', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'writeback-restart-'));
    // The same port both times: the helpdesk account (and so who may see the session) is its host.
    const port = await freePort();
    try {
      const first = await startHarness({}, { helpdesk: 'sandbox', dataDir, port, writeback: { vanishGraceMs: 800 } });
      const agent = await first.agentToken();
      const view = await first.createSession(agent, 1201);
      const { participantToken } = await joinedCustomer(first, view, 'bg');
      const specialist = await first.connect(view.specialistToken);
      await first.connect(participantToken);
      await specialist.next('participant');
      await first.close();
      // Lets fetch's pool see the old server's sockets close before the same port is reused.
      await new Promise((r) => setTimeout(r, 300));

      const second = await startHarness({}, { helpdesk: 'sandbox', dataDir, port, writeback: { vanishGraceMs: 800 } });
      try {
        const agentAgain = await second.agentToken();
        const ended = await waitFor('the session to end after the restart', async () => {
          const v = (await (await second.api(`/api/sessions/${view.sessionId}`, { bearer: agentAgain })).json()) as SessionView;
          return v.status === 'ended' ? v : null;
        });
        expect(ended.status).toBe('ended');
        await waitFor('the note', async () => {
          const res = await second.api(`/api/sessions/${view.sessionId}/note`, { bearer: agentAgain });
          return ((await res.json()) as CallNoteView).note.state === 'done';
        });
        const notes = (await ticketComments(second, 1201)).filter((c) => c.plain_body.includes(noteMarker(callNoteKey(view.sessionId))));
        expect(notes).toHaveLength(1);
        // In the language of the agent who ran it (en-US), not the Bulgarian requester's.
        expect(notes[0]!.html_body).toContain('Live Assist video call');
        expect(notes[0]!.html_body).toContain('Georgi Ivanov');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
