import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObserveResponseSchema, type CallNoteView, type NameplateValues } from '@live-assist/protocol';
import { SANDBOX_INSTALLATION_ID, SANDBOX_TICKET_FIELDS } from '@live-assist/sandbox';
import { callNoteKey, ticketFieldsKey } from '../writeback/call-notes.js';
import { noteMarker } from '../writeback/marker.js';
import { joinedCustomer, startHarness, ticketComments, waitFor, type Harness, type SandboxHarness } from '../testing/harness.js';
import { withHarness } from '../testing/suite.js';
import { TestSocket } from '../testing/ws-client.js';

async function crop(color: string, format: 'jpeg' | 'png'): Promise<Uint8Array<ArrayBuffer>> {
  const img = sharp({ create: { width: 40, height: 16, channels: 3, background: color } });
  return new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
}

async function upload(h: Harness, sessionId: string, token: string, purpose: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const res = await h.api(`/api/sessions/${sessionId}/uploads?purpose=${purpose}`, { method: 'POST', bearer: token, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: { id: string } }).upload.id;
}

/** Sends the confirm and answers what the relay said to it: the saved frame, or the error's code. */
async function confirm(socket: TestSocket, uploadId: string, values: NameplateValues): Promise<NameplateValues | string> {
  socket.frames.length = 0;
  socket.send({ type: 'nameplate-confirm', uploadId, values });
  socket.send({ type: 'ping', t: 4242 });
  while ((await socket.next('pong')).t !== 4242);
  const answer = socket.frames.find((f) => f.type === 'nameplate-saved' || f.type === 'error');
  if (answer?.type === 'error') return answer.code;
  if (answer?.type !== 'nameplate-saved') return 'no answer';
  expect(answer.uploadId).toBe(uploadId);
  return answer.values;
}

function outboxRow(h: Harness, opKey: string): { status: string; last_error: string | null } | undefined {
  const db = new Database(join(h.dataDir, 'relay.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT status, last_error FROM writeback_ops WHERE op_key = ?').get(opKey) as
      { status: string; last_error: string | null } | undefined;
  } finally {
    db.close();
  }
}

describe('nameplates on the socket', () => {
  let h: Parameters<Parameters<typeof withHarness>[0]>[0]['h'];
  let agent: string;
  withHarness((s) => ({ h, agent } = s));

  it('only the seat specialist confirms, with its own nameplate crop; seat and observers hear it, the customer does not', async () => {
    const view = await h.createSession(agent);
    const { participantToken } = await joinedCustomer(h, view);
    const specialist = await h.connect(view.specialistToken);
    const customer = await h.connect(participantToken);
    const watch = await h.api(`/api/sessions/${view.sessionId}/observe`, { method: 'POST', bearer: await h.agentToken('44') });
    const observer = await TestSocket.open(h.wsUrl(ObserveResponseSchema.parse(await watch.json()).observerToken));
    observer.send({ type: 'hello', protocolVersion: 1 });
    await observer.next('welcome');
    try {
      const plate = await upload(h, view.sessionId, view.specialistToken, 'nameplate', await crop('#999', 'jpeg'));
      expect(await confirm(customer, plate, { serial: 'X1' })).toBe('forbidden');
      expect(await confirm(observer, plate, { serial: 'X1' })).toBe('forbidden');

      const snapshot = await upload(h, view.sessionId, view.specialistToken, 'snapshot', await crop('#111', 'png'));
      expect(await confirm(specialist, snapshot, { serial: 'X1' })).toBe('bad-frame');
      const customersCrop = await upload(h, view.sessionId, participantToken, 'nameplate', await crop('#222', 'png'));
      expect(await confirm(specialist, customersCrop, { serial: 'X1' })).toBe('bad-frame');

      // Values are trimmed; an empty plate and a line break are refused by the protocol.
      expect(await confirm(specialist, plate, { model: '  Stratos MAXO ', serial: '' })).toEqual({ model: 'Stratos MAXO' });
      expect(await confirm(specialist, plate, { model: ' ', serial: '' })).toBe('bad-frame');
      expect(await confirm(specialist, plate, { serial: 'A\nB' })).toBe('bad-frame');
      const seen = await observer.next('nameplate-saved');
      expect(seen.values).toEqual({ model: 'Stratos MAXO' });
      expect(customer.frames.some((f) => f.type === 'nameplate-saved')).toBe(false);
    } finally {
      for (const s of [specialist, customer, observer]) s.close();
    }
  });
});

describe('nameplates in the note and the ticket fields (Zendesk sandbox)', () => {
  let sr: SandboxHarness;
  beforeAll(async () => {
    sr = await startHarness({}, { helpdesk: 'sandbox' });
  });
  afterAll(() => sr?.close());

  /** What the admin saved in the app's settings (null unsets). */
  async function mapFields(settings: Record<string, string | number | null>): Promise<void> {
    const res = await sr.zendesk(`/api/v2/apps/installations/${SANDBOX_INSTALLATION_ID}.json`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings }),
    });
    expect(res.status).toBe(200);
  }

  async function ticketFields(ticketId: number): Promise<Map<number, string | null>> {
    const res = await sr.zendesk(`/api/v2/tickets/${ticketId}.json`);
    const { ticket } = (await res.json()) as { ticket: { custom_fields: { id: number; value: string | null }[] } };
    return new Map(ticket.custom_fields.map((f) => [f.id, f.value]));
  }

  /** A call on the ticket in which the specialist confirms the plates; returns the note and the session. */
  async function callWithPlates(ticketId: number, plates: (socket: TestSocket, sessionId: string, token: string) => Promise<void>) {
    const agent = await sr.agentToken();
    const view = await sr.createSession(agent, ticketId);
    const { participantToken } = await joinedCustomer(sr, view, 'en-US');
    const specialist = await sr.connect(view.specialistToken);
    const customer = await sr.connect(participantToken);
    await plates(specialist, view.sessionId, view.specialistToken);
    expect((await sr.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    specialist.close();
    customer.close();
    await waitFor(
      'the note and the ticket fields to be written',
      async () =>
        ((await (await sr.api(`/api/sessions/${view.sessionId}/note`, { bearer: agent })).json()) as CallNoteView).note.state === 'done' &&
        outboxRow(sr, ticketFieldsKey(view.sessionId))?.status === 'done',
      20_000,
    );
    const marker = noteMarker(callNoteKey(view.sessionId));
    const notes = (await ticketComments(sr, ticketId)).filter((c) => c.plain_body.includes(marker));
    expect(notes).toHaveLength(1);
    return { note: notes[0]!, sessionId: view.sessionId };
  }

  it('two plates, one re-confirmed: the note lists both with their crops; the mapped serial field holds the serial', async () => {
    const F = SANDBOX_TICKET_FIELDS;
    // Model unmapped, serial mapped, date mapped to an id the account does not have.
    await mapFields({ nameplate_model_field: null, nameplate_serial_field: F.serial.id, nameplate_date_field: '999999' });
    const { note, sessionId } = await callWithPlates(1203, async (specialist, sessionId, token) => {
      const pump = await upload(sr, sessionId, token, 'nameplate', await crop('#abc', 'jpeg'));
      const motor = await upload(sr, sessionId, token, 'nameplate', await crop('#cba', 'png'));
      expect(await confirm(specialist, pump, { model: 'Stratos MAXO 25/0,5-8', serial: 'SN <2231>', date: '2019/07' })).toEqual({
        model: 'Stratos MAXO 25/0,5-8',
        serial: 'SN <2231>',
        date: '2019/07',
      });
      // Sent twice (a resend after a drop), then corrected: still one plate, with the corrected serial.
      await confirm(specialist, pump, { model: 'Stratos MAXO 25/0,5-8', serial: 'SN <2231>', date: '2019/07' });
      await confirm(specialist, pump, { model: 'Stratos MAXO 25/0,5-8', serial: 'SN 2231-0042', date: '2019/07' });
      await confirm(specialist, motor, { model: 'Motor M-7' });
    });

    expect(note.public).toBe(false);
    expect(note.html_body.match(/<h4>Nameplate \d<\/h4>/g)).toEqual(['<h4>Nameplate 1</h4>', '<h4>Nameplate 2</h4>']);
    expect(note.html_body).toContain('<strong>Serial number:</strong> SN 2231-0042');
    expect(note.html_body).not.toContain('SN &lt;2231&gt;');
    expect(note.html_body).toContain('<strong>Production date:</strong> 2019/07');
    expect(note.html_body).toContain('<strong>Model:</strong> Motor M-7');
    expect(note.attachments.map((a) => a.file_name).filter((n) => n.startsWith('nameplate'))).toEqual([
      'nameplate-1.jpg',
      'nameplate-2.png',
    ]);

    const fields = await ticketFields(1203);
    expect(fields.get(F.serial.id)).toBe('SN 2231-0042');
    // Unmapped: untouched, though the plates have a model.
    expect(fields.get(F.model.id)).toBeNull();
    expect(fields.get(F.productionDate.id)).toBeNull();
    // The bad mapping is recorded on the done operation and cost only its own field.
    const row = outboxRow(sr, ticketFieldsKey(sessionId));
    expect(row?.status).toBe('done');
    expect(row?.last_error).toMatch(/^date: .*999999/);
  }, 60_000);

  it('a value the mapped field refuses and a setting that is no field id: the note is written, nothing else', async () => {
    const F = SANDBOX_TICKET_FIELDS;
    await mapFields({ nameplate_model_field: 'Pump model', nameplate_serial_field: null, nameplate_date_field: F.warrantyUntil.id });
    const { note, sessionId } = await callWithPlates(1201, async (specialist, id, token) => {
      const plate = await upload(sr, id, token, 'nameplate', await crop('#321', 'jpeg'));
      await confirm(specialist, plate, { model: 'Para 15-130', serial: 'S-1', date: 'KW 23/2019' });
    });
    expect(note.html_body).toContain('<h4>Nameplate</h4>');
    expect(note.attachments.map((a) => a.file_name)).toContain('nameplate-1.jpg');
    const fields = await ticketFields(1201);
    expect([...fields.values()].every((v) => v === null)).toBe(true);
    const row = outboxRow(sr, ticketFieldsKey(sessionId));
    expect(row?.last_error).toContain('model: setting nameplate_model_field is not a ticket field id');
    expect(row?.last_error).toContain('date: ');
  }, 60_000);
});
