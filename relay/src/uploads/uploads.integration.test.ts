import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadResponseSchema, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, type Harness } from '../testing/harness.js';

/** 64×48 HEIC (HEVC) made with libheif's heif-enc; too small to be worth a binary fixture file. */
export const TINY_HEIC = Buffer.from(
  'AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAa1tZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAACAAAAEGlkYXQAAAAAAEAAMAAAADhpbG9jAQAAAERAAAIAAQAAAAAAAAHRAAEAAAAAAAAAHQACAAEAAAAAAAAAAQAAAAAAAAAIAAAAOGlpbmYAAAAAAAIAAAAVaW5mZQIAAAEAAQAAaHZjMQAAAAAVaW5mZQIAAAAAAgAAZ3JpZAAAAADYaXBycAAAALZpcGNvAAAAdmh2Y0MBA3AAAAAAAAAAAAAe8AD8/fj4AAAPAyAAAQAYQAEMAf//A3AAAAMAkAAAAwAAAwAeugJAIQABACpCAQEDcAAAAwCQAAADAAADAB6gIIEFlurkprm4EBAwIAAAAwAgAAADACEiAAEABkQBwXPAiQAAABRpc3BlAAAAAAAAAEAAAABAAAAAFGlzcGUAAAAAAAAAQAAAADAAAAAQcGl4aQAAAAADCAgIAAAAGmlwbWEAAAAAAAAAAgABAoECAAICA4QAAAAaaXJlZgAAAAAAAAAOZGltZwACAAEAAQAAACVtZGF0AAAAGSgBrxOA+BDhp//z8or/ro1f+PPL86KQz4A=',
  'base64',
);

function gpsJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#2a6f97' } })
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Secret Phone 9', Artist: 'Carla Customer' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 36/1' },
    })
    .jpeg()
    .toBuffer();
}

describe.each(ENGINES)('uploads (%s)', (engine) => {
  let relay: EngineHarness;
  let h: Harness;
  let view: SessionView;
  let customer: JoinResponse;

  beforeAll(async () => {
    relay = await startHarnessOn(engine);
    h = relay.h;
    view = await h.createSession(await h.agentToken());
    customer = await joinedCustomer(h, view);
  });
  afterAll(() => relay?.close());

  const upload = (body: Uint8Array, opts: { token?: string; type?: string; sessionId?: string; purpose?: string } = {}) =>
    fetch(`${h.relay.url}/api/sessions/${opts.sessionId ?? view.sessionId}/uploads?purpose=${opts.purpose ?? 'photo'}`, {
      method: 'POST',
      headers: {
        ...(opts.token === '' ? {} : { Authorization: `Bearer ${opts.token ?? customer.participantToken}` }),
        'Content-Type': opts.type ?? 'image/jpeg',
      },
      body: body as BodyInit,
    });

  it('strips EXIF and GPS from a JPEG, keeps the size, and makes a 640 px preview', async () => {
    const original = await gpsJpeg();
    expect((await sharp(original).metadata()).exif?.includes(Buffer.from('Secret Phone 9'))).toBe(true);

    const res = await upload(original);
    expect(res.status).toBe(201);
    const { upload: up } = UploadResponseSchema.parse(await res.json());
    expect(up).toMatchObject({ purpose: 'photo', contentType: 'image/jpeg', width: 1600, height: 1200 });

    const stored = Buffer.from(await (await fetch(up.url)).arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(1600);
    for (const marker of ['Exif\0\0', 'Secret Phone 9', 'Carla Customer']) {
      expect(stored.includes(Buffer.from(marker, 'latin1'))).toBe(false);
    }
    // The stored copies (what the ticket gets) are the clean ones too.
    const keys = await relay.blobs.list(`uploads/${view.sessionId}`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect((await relay.blobs.get(key))?.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);

    const previewRes = await fetch(up.previewUrl);
    expect(previewRes.headers.get('content-type')).toBe('image/jpeg');
    const preview = await sharp(Buffer.from(await previewRes.arrayBuffer())).metadata();
    expect([preview.width, preview.height]).toEqual([640, 480]);
  });

  it('refuses a 16 MB file with 413', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 0);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'too-large', message: 'Photos can be at most 15 MB.' } });
  });

  it('refuses a PDF sent as image/jpeg and an SVG with script with 415', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const pdfRes = await upload(pdf, { type: 'image/jpeg' });
    expect(pdfRes.status).toBe(415);
    expect(await pdfRes.json()).toEqual({
      error: { code: 'unsupported-type', message: 'Only photos are accepted: JPEG, PNG, WebP or HEIC.' },
    });
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="9" height="9"/></svg>',
    );
    const svgRes = await upload(svg, { type: 'image/svg+xml' });
    expect(svgRes.status).toBe(415);
    expect(((await svgRes.json()) as { error: { code: string } }).error.code).toBe('unsupported-type');
  });

  it('refuses a damaged JPEG with 415 rather than failing', async () => {
    const res = await upload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(res.status).toBe(415);
  });

  it('accepts HEIC and stores it as JPEG; accepts PNG and WebP as they are', async () => {
    const heic = await upload(TINY_HEIC, { type: 'image/heic' });
    expect(heic.status).toBe(201);
    const h1 = UploadResponseSchema.parse(await heic.json()).upload;
    expect(h1).toMatchObject({ contentType: 'image/jpeg', width: 64, height: 48 });
    expect((await sharp(Buffer.from(await (await fetch(h1.url)).arrayBuffer())).metadata()).format).toBe('jpeg');

    const png = await sharp({ create: { width: 30, height: 20, channels: 4, background: '#ff000080' } })
      .png()
      .toBuffer();
    const pngRes = UploadResponseSchema.parse(await (await upload(png, { type: 'application/octet-stream' })).json()).upload;
    expect(pngRes.contentType).toBe('image/png');
    const webp = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#00ff00' } })
      .webp()
      .toBuffer();
    const webpRes = UploadResponseSchema.parse(await (await upload(webp)).json()).upload;
    expect(webpRes.contentType).toBe('image/webp');
    expect((await fetch(webpRes.url)).headers.get('content-type')).toBe('image/webp');
  });

  it('needs a participant token of this very session', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect((await upload(png, { token: '' })).status).toBe(401);
    expect((await upload(png, { token: 'A'.repeat(43) })).status).toBe(401);
    const other = await h.createSession(await h.agentToken(), 2);
    expect((await upload(png, { sessionId: other.sessionId })).status).toBe(403);
    expect((await upload(png, { token: view.specialistToken! })).status).toBe(201);
    expect((await upload(png, { purpose: 'selfie' })).status).toBe(400);
  });

  it("serves files only with a valid, unexpired signature, and lists a session's uploads", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const { upload: up } = UploadResponseSchema.parse(await (await upload(png)).json());
    expect((await fetch(up.url)).status).toBe(200);
    expect((await fetch(up.url.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(403);
    expect((await fetch(up.url.replace('/original?', '/preview?'))).status).toBe(403);

    // Read through a second connection, as another relay would.
    const listed = await relay.reader.uploads.listForSession(view.sessionId);
    expect(listed.map((u) => u.id)).toContain(up.id);
    expect(listed.every((u) => u.sessionId === view.sessionId)).toBe(true);

    h.advanceClock(2 * 60 * 60 * 1000);
    expect((await fetch(up.url)).status).toBe(403);
  });
});

describe.each(ENGINES)('upload quota per session (%s)', (engine) => {
  let relay: EngineHarness;
  let h: Harness;
  beforeAll(async () => {
    relay = await startHarnessOn(engine, { SESSION_UPLOAD_LIMIT: '2', SESSION_UPLOAD_MB: '1' });
    h = relay.h;
  });
  afterAll(() => relay?.close());

  const post = (sessionId: string, token: string, body: Buffer) =>
    fetch(`${h.relay.url}/api/sessions/${sessionId}/uploads?purpose=photo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
      body: body as BodyInit,
    });

  it('refuses the photo over the count with 429; what was accepted stays; other sessions are not affected', async () => {
    const view = await h.createSession(await h.agentToken(), 1);
    const customer = await joinedCustomer(h, view);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const first = UploadResponseSchema.parse(await (await post(view.sessionId, customer.participantToken, png)).json());
    expect((await post(view.sessionId, view.specialistToken, png)).status).toBe(201);
    const refused = await post(view.sessionId, customer.participantToken, png);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'upload-quota' } });
    expect((await fetch(first.upload.url)).status).toBe(200);

    const other = await h.createSession(await h.agentToken(), 2);
    const otherCustomer = await joinedCustomer(h, other);
    expect((await post(other.sessionId, otherCustomer.participantToken, png)).status).toBe(201);
  });

  it('refuses a photo that would take the session over its megabytes', async () => {
    const view = await h.createSession(await h.agentToken(), 1);
    const customer = await joinedCustomer(h, view);
    // Noise does not compress: about 700 KB as PNG, so two do not fit in 1 MB.
    const noise = Buffer.from(Array.from({ length: 480 * 480 * 3 }, () => Math.floor(Math.random() * 256)));
    const big = await sharp(noise, { raw: { width: 480, height: 480, channels: 3 } })
      .png()
      .toBuffer();
    expect(big.length).toBeGreaterThan(600 * 1024);
    expect((await post(view.sessionId, customer.participantToken, big)).status).toBe(201);
    const refused = await post(view.sessionId, customer.participantToken, big);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/MB of photos/);
  });
});
