import { describe, expect, it } from 'vitest';
import type { UploadView } from '@live-assist/protocol';
import { photoDownloadLink } from './download.js';
import { UploadFailure, createPhotoUploader } from './upload.js';

const view: UploadView = {
  id: 'upload-0001',
  purpose: 'photo',
  contentType: 'image/jpeg',
  bytes: 3,
  width: 1,
  height: 1,
  url: 'http://relay/api/uploads/upload-0001/original?exp=1&sig=x',
  previewUrl: 'http://relay/api/uploads/upload-0001/preview?exp=1&sig=x',
  createdAt: new Date(0).toISOString(),
};

/** The relay's answers, as a fetch that records what it was asked. */
function relayAnswering(status: number, body: unknown) {
  const asked: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    asked.push({ url: String(input), init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const upload = (status: number, body: unknown = {}) => {
  const relay = relayAnswering(status, body);
  const uploader = createPhotoUploader({ baseUrl: 'http://relay', sessionId: 's 1', participantToken: 'tok', fetch: relay.fetch });
  return { result: uploader.upload(new Blob(['jpg'], { type: 'image/jpeg' })), asked: relay.asked };
};

const reason = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof UploadFailure ? e.reason : 'other'),
  );

describe('photo uploader', () => {
  it('posts the bytes with the participant token and returns the relay’s upload', async () => {
    const { result, asked } = upload(201, { upload: view });
    await expect(result).resolves.toEqual(view);
    expect(asked[0]!.url).toBe('http://relay/api/sessions/s%201/uploads?purpose=photo');
    expect(asked[0]!.init?.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'image/jpeg' });
  });

  it('tells too large, unsupported, over the session quota and server failures apart', async () => {
    expect(await reason(upload(413).result)).toBe('too-large');
    expect(await reason(upload(415).result)).toBe('unsupported');
    expect(await reason(upload(429).result)).toBe('quota');
    expect(await reason(upload(500).result)).toBe('server');
    expect(await reason(upload(201, { upload: { id: 1 } }).result)).toBe('server');
  });

  it('refuses a file over 15 MB before sending it', async () => {
    const relay = relayAnswering(201, { upload: view });
    const uploader = createPhotoUploader({ baseUrl: '', sessionId: 's', participantToken: 't', fetch: relay.fetch });
    expect(await reason(uploader.upload(new Blob([new Uint8Array(15 * 1024 * 1024 + 1)])))).toBe('too-large');
    expect(relay.asked).toHaveLength(0);
  });
});

const options = (fetch: typeof globalThis.fetch) => ({ baseUrl: 'http://relay', sessionId: 's 1', participantToken: 'tok', fetch });

describe('photo download link', () => {
  it('asks the relay for the photo’s download link with the specialist token, at the moment of the click', async () => {
    const relay = relayAnswering(200, { url: 'http://relay/api/uploads/upload-0001/original?exp=1&sig=x&download=1' });
    await expect(photoDownloadLink(options(relay.fetch), 'upload-0001')).resolves.toBe(
      'http://relay/api/uploads/upload-0001/original?exp=1&sig=x&download=1',
    );
    expect(relay.asked).toEqual([
      {
        url: 'http://relay/api/sessions/s%201/uploads/upload-0001/download',
        init: { method: 'POST', headers: { Authorization: 'Bearer tok' } },
      },
    ]);
  });

  it('fails clearly when the relay refuses or answers something else', async () => {
    await expect(
      photoDownloadLink(options(relayAnswering(403, { error: { code: 'forbidden', message: 'no' } }).fetch), 'upload-0001'),
    ).rejects.toThrow('403');
    await expect(photoDownloadLink(options(relayAnswering(200, { link: 'x' }).fetch), 'upload-0001')).rejects.toThrow('unexpected');
  });
});
