import { describe, expect, it } from 'vitest';
import { photoDownloadLink } from './download.js';

function relayAnswering(status: number, body: unknown) {
  const asked: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    asked.push({ url: String(input), init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const options = (fetch: typeof globalThis.fetch) => ({ baseUrl: 'http://relay', sessionId: 's 1', participantToken: 'tok', fetch });

describe('photo download link', () => {
  it('asks the relay for the photo’s download link with the specialist token, at the moment of the click', async () => {
    const relay = relayAnswering(200, { url: 'http://relay/api/uploads/upload-0001/original?exp=1&sig=x&download=1' });
    await expect(photoDownloadLink(options(relay.fetch), 'upload-0001')).resolves.toBe('http://relay/api/uploads/upload-0001/original?exp=1&sig=x&download=1');
    expect(relay.asked).toEqual([
      { url: 'http://relay/api/sessions/s%201/uploads/upload-0001/download', init: { method: 'POST', headers: { Authorization: 'Bearer tok' } } },
    ]);
  });

  it('fails clearly when the relay refuses or answers something else', async () => {
    await expect(photoDownloadLink(options(relayAnswering(403, { error: { code: 'forbidden', message: 'no' } }).fetch), 'upload-0001')).rejects.toThrow('403');
    await expect(photoDownloadLink(options(relayAnswering(200, { link: 'x' }).fetch), 'upload-0001')).rejects.toThrow('unexpected');
  });
});
