import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_TICKET_BUDGET, startFakeFreshdesk, type FakeFreshdesk } from '../testing/fakes/freshdesk.js';
import { FreshdeskNoteWriter } from './freshdesk-writer.js';
import { noteMarker, withMarker } from './marker.js';
import { HelpdeskWriteError, WriteFailure } from './types.js';

let fd: FakeFreshdesk;
let writer: FreshdeskNoteWriter;

beforeEach(async () => {
  fd = await startFakeFreshdesk({ tickets: [1, 2], pageSize: 2 });
  writer = new FreshdeskNoteWriter({ baseUrl: fd.url, apiKey: fd.config.apiKey, requestTimeoutMs: 5_000 });
});
afterEach(() => fd.close());

const file = (name: string, bytes: number, contentType = 'application/octet-stream') => ({
  fileName: name,
  contentType,
  data: new Uint8Array(bytes),
});

async function failureOf(promise: Promise<unknown>): Promise<HelpdeskWriteError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof HelpdeskWriteError)) throw new Error(`expected a HelpdeskWriteError, got ${String(error)}`);
  return error;
}

describe("the relay's Freshdesk note writer", () => {
  it('writes one private note as multipart: string fields, one attachments[] part per file, the agent as author', async () => {
    await writer.addNoteWithFiles(
      1,
      withMarker('<p>Call über Pumpe</p>', 'call-note:s1'),
      [file('chat.txt', 10, 'text/plain'), file('ä photo.jpg', 300, 'image/jpeg')],
      {
        authorId: 42,
      },
    );
    const post = fd.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/v2/tickets/1/notes');
    expect(post.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(fd.writes).toEqual([
      {
        route: 'note',
        ticketId: 1,
        body: expect.stringContaining('Call über Pumpe'),
        private: true,
        userId: 42,
        files: [
          { name: 'chat.txt', contentType: 'text/plain', size: 10 },
          { name: 'ä photo.jpg', contentType: 'image/jpeg', size: 300 },
        ],
      },
    ]);
    expect(fd.notes(1)[0]?.body_text).toContain(noteMarker('call-note:s1'));
  });

  it('finds a marker on a later page by following the Link header, and not a longer key that starts the same', async () => {
    for (let i = 0; i < 4; i += 1) fd.addConversation(1, []);
    await writer.addNoteWithFiles(1, withMarker('<p>note</p>', 'call-note:s12'), []);
    expect(await writer.findNoteWithMarker(1, noteMarker('call-note:s12'))).toBe(true);
    expect(await writer.findNoteWithMarker(1, noteMarker('call-note:s1'))).toBe(false);
    const pages = fd.requests.filter((r) => r.path.startsWith('/api/v2/tickets/1/conversations'));
    expect(pages.map((r) => r.path)).toContain('/api/v2/tickets/1/conversations?page=3&per_page=100');
    expect(pages[0]?.path).toBe('/api/v2/tickets/1/conversations?per_page=100');
  });

  it("counts the ticket's own files and every conversation's against the 20 MB budget", async () => {
    fd.addConversation(2, [6_000_000]);
    fd.addConversation(2, [5_000_000, 4_000_000]);
    const small = [file('a.bin', 1_000_000), file('b.bin', 2_000_000)];
    expect(await writer.fitToTicket(2, small)).toEqual({ files: small, left: [] });
    // 15 MB used: 5 MB left, so of 3 MB + 4 MB the second cannot go (it is no image to shrink).
    const big = [file('c.bin', 3_000_000), file('d.bin', 4_000_000)];
    expect(await writer.fitToTicket(2, big)).toMatchObject({ files: [{ fileName: 'c.bin' }], left: ['d.bin'] });
  });

  it('downscales images that do not fit, as JPEGs, keeping every one', async () => {
    fd.addConversation(1, [FAKE_TICKET_BUDGET - 400_000]);
    // Noise: as hard to compress as a photo gets.
    const photo = await sharp({
      create: { width: 2400, height: 1600, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
    })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const fitted = await writer.fitToTicket(1, [{ fileName: 'photo-1.png', contentType: 'image/png', data: new Uint8Array(photo) }]);
    expect(fitted.left).toEqual([]);
    expect(fitted.files).toHaveLength(1);
    expect(fitted.files[0]).toMatchObject({ fileName: 'photo-1.jpg', contentType: 'image/jpeg' });
    expect(fitted.files[0]!.data.byteLength).toBeLessThanOrEqual(400_000);
    const meta = await sharp(fitted.files[0]!.data).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThan(2400);
    console.info(
      `[measured] ${photo.length} B PNG into 400 kB: ${meta.width}×${meta.height} JPEG of ${fitted.files[0]!.data.byteLength} B`,
    );
  });

  it("maps the nameplate by the installation's stored settings, read on every try; the environment's only before any", async () => {
    let stored: Record<string, string> | null = null;
    const mapped = new FreshdeskNoteWriter({
      baseUrl: fd.url,
      apiKey: fd.config.apiKey,
      requestTimeoutMs: 5_000,
      ticketFields: { serial: 'cf_serial_number', date: 'cf_production_date' },
      storedTicketFields: () => Promise.resolve(stored),
    });
    const plate = { model: 'Yonos PICO', serial: 'SN-1', date: '2020' };
    expect(await mapped.writeTicketFields(1, plate)).toEqual({ written: ['serial', 'date'], refused: [] });
    stored = { model: 'cf_pump_model' };
    expect(await mapped.writeTicketFields(2, plate)).toEqual({ written: ['model'], refused: [] });
    expect(fd.customFields(1)).toEqual({ cf_serial_number: 'SN-1', cf_production_date: '2020' });
    expect(fd.customFields(2)).toEqual({ cf_pump_model: 'Yonos PICO' });
  });

  it('tells a rate limit (with its Retry-After), an outage and a refusal apart', async () => {
    fd.script('note', { status: 429, headers: { 'Retry-After': '7' } }, { status: 502 });
    const limited = await failureOf(writer.addNoteWithFiles(1, '<p>x</p>', []));
    expect(limited).toMatchObject({ kind: WriteFailure.RateLimited, details: { status: 429, retryAfterMs: 7000 } });
    expect((await failureOf(writer.addNoteWithFiles(1, '<p>x</p>', []))).kind).toBe(WriteFailure.Unavailable);
    const refused = await failureOf(writer.addNoteWithFiles(999, '<p>x</p>', []));
    expect(refused).toMatchObject({ kind: WriteFailure.Rejected, details: { status: 404 } });
    expect(refused.message).toMatch(/\(request [0-9a-f-]{36}\)/);
  });

  it('refuses to follow a next page on another origin (the API key goes with it)', async () => {
    fd.script('conversations', {
      status: 200,
      body: '[]',
      headers: { Link: '<https://evil.example/api/v2/tickets/1/conversations?page=2>; rel="next"' },
    });
    expect((await failureOf(writer.findNoteWithMarker(1, 'x'))).message).toMatch(/evil\.example/);
  });
});

describe('the Freshdesk stand-in is as strict as Freshdesk', () => {
  const call = (path: string, init: RequestInit & { auth?: string } = {}) =>
    fetch(`${fd.url}${path}`, {
      ...init,
      headers: { Authorization: init.auth ?? `Basic ${Buffer.from(`${fd.config.apiKey}:X`).toString('base64')}`, ...init.headers },
    });
  const errorsOf = async (res: Response) => ((await res.json()) as { errors?: { field: string; code: string }[] }).errors;

  it('wants the API key as Basic user name', async () => {
    const res = await call('/api/v2/tickets/1', { auth: `Basic ${Buffer.from('someone:password').toString('base64')}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_credentials' });
  });

  it('reads a multipart body sent with a JSON Content-Type as missing every field', async () => {
    const form = new FormData();
    form.append('body', '<p>x</p>');
    const multipart = new Request('http://x', { method: 'POST', body: form });
    const res = await call('/api/v2/tickets/1/notes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: await multipart.arrayBuffer(),
    });
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([expect.objectContaining({ field: 'body', code: 'missing_field' })]);
  });

  it('refuses attachments in JSON, a boolean that is not "true"/"false", and a file part without a file name', async () => {
    const json = await call('/api/v2/tickets/1/notes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: '<p>x</p>', private: true, attachments: ['aGVsbG8='] }),
    });
    expect(await errorsOf(json)).toEqual([expect.objectContaining({ field: 'attachments', code: 'datatype_mismatch' })]);
    const yes = new FormData();
    yes.append('body', '<p>x</p>');
    yes.append('private', 'yes');
    expect(await errorsOf(await call('/api/v2/tickets/1/notes', { method: 'POST', body: yes }))).toEqual([
      expect.objectContaining({ field: 'private', code: 'datatype_mismatch' }),
    ]);
    const bare = new FormData();
    bare.append('body', '<p>x</p>');
    bare.append('attachments[]', 'not a file');
    expect(await errorsOf(await call('/api/v2/tickets/1/notes', { method: 'POST', body: bare }))).toEqual([
      expect.objectContaining({ field: 'attachments', code: 'datatype_mismatch' }),
    ]);
    expect(fd.notes(1)).toHaveLength(0);
  });

  it("refuses files beyond the ticket's 20 MB, in Freshdesk's error shape", async () => {
    fd.addConversation(1, [FAKE_TICKET_BUDGET - 10]);
    const form = new FormData();
    form.append('body', '<p>x</p>');
    form.append('attachments[]', new Blob([new Uint8Array(11)]), 'eleven.bin');
    const res = await call('/api/v2/tickets/1/notes', { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ description: 'Validation failed', errors: [{ field: 'attachments', code: 'invalid_value' }] });
  });

  it('pages conversations at most 100 at a time', async () => {
    expect((await call('/api/v2/tickets/1/conversations?per_page=101')).status).toBe(400);
    expect((await call('/api/v2/tickets/1/conversations?per_page=100')).status).toBe(200);
  });
});
