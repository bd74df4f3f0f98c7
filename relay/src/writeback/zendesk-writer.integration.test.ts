import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteMarker, withMarker } from './marker.js';
import { startFakeZendesk, type FakeZendesk } from '../testing/fakes/zendesk.js';
import { HelpdeskWriteError, WriteFailure } from './types.js';
import { ZendeskNoteWriter } from './zendesk-writer.js';

let zendesk: FakeZendesk;
beforeEach(async () => {
  zendesk = await startFakeZendesk({ tickets: [3], pageSize: 1 });
});
afterEach(() => zendesk.close());

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof HelpdeskWriteError ? { kind: e.kind, ...e.details, message: e.message } : e),
  );

describe('ZendeskNoteWriter', () => {
  it('works with an OAuth access token and finds a marker on a later comments page', async () => {
    const writer = new ZendeskNoteWriter({ baseUrl: `${zendesk.url}/`, auth: { kind: 'oauth', accessToken: zendesk.oauthToken } });
    const token = await writer.uploadAttachment({ fileName: 'ä photo.jpg', contentType: 'image/jpeg', data: new Uint8Array([1, 2, 3]) });
    await writer.addInternalNote(3, withMarker('<p>first</p>', 'op:1'), []);
    await writer.addInternalNote(3, withMarker('<p>second</p>', 'op:2'), [token]);

    expect(zendesk.uploads.get(token)?.fileName).toBe('ä photo.jpg');
    expect(await writer.findNoteWithMarker(3, noteMarker('op:2'))).toBe(true);
    expect(await writer.findNoteWithMarker(3, noteMarker('op:3'))).toBe(false);
    expect(zendesk.comments(3).map((c) => c.public)).toEqual([false, false]);
  });

  it('classifies answers: 429 with its wait, 5xx and 409 retryable, other 4xx refused', async () => {
    const writer = new ZendeskNoteWriter({
      baseUrl: zendesk.url,
      auth: { kind: 'api_token', email: zendesk.email, apiToken: zendesk.apiToken },
    });
    zendesk.script('note', { status: 429, headers: { 'Retry-After': '7' } }, { status: 503 }, { status: 409 }, { status: 422 });
    expect(await failureOf(writer.addInternalNote(3, 'x', []))).toMatchObject({ kind: WriteFailure.RateLimited, retryAfterMs: 7000 });
    expect(await failureOf(writer.addInternalNote(3, 'x', []))).toMatchObject({ kind: WriteFailure.Unavailable, status: 503 });
    expect(await failureOf(writer.addInternalNote(3, 'x', []))).toMatchObject({ kind: WriteFailure.Unavailable, status: 409 });
    expect(await failureOf(writer.addInternalNote(3, 'x', []))).toMatchObject({ kind: WriteFailure.Rejected, status: 422 });
    expect(await failureOf(writer.addInternalNote(99, 'x', []))).toMatchObject({ kind: WriteFailure.Rejected, status: 404 });
  });

  it('refuses wrong credentials as a rejection, not a retry', async () => {
    const writer = new ZendeskNoteWriter({ baseUrl: zendesk.url, auth: { kind: 'api_token', email: zendesk.email, apiToken: 'wrong' } });
    expect(await failureOf(writer.findNoteWithMarker(3, 'm'))).toMatchObject({ kind: WriteFailure.Rejected, status: 401 });
  });

  it('reports a timeout as retryable', async () => {
    const writer = new ZendeskNoteWriter({
      baseUrl: zendesk.url,
      auth: { kind: 'api_token', email: zendesk.email, apiToken: zendesk.apiToken },
      requestTimeoutMs: 150,
    });
    zendesk.script('upload', { hang: true });
    const failure = await failureOf(writer.uploadAttachment({ fileName: 'a.png', contentType: 'image/png', data: new Uint8Array([1]) }));
    expect(failure).toMatchObject({ kind: WriteFailure.Unavailable, message: expect.stringContaining('timed out after 150 ms') });
  });

  it('does not send its credentials to another origin named as the next page', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return Response.json({
        comments: [],
        meta: { has_more: true },
        links: { next: 'https://evil.example/api/v2/tickets/3/comments.json?page[after]=x' },
      });
    };
    const writer = new ZendeskNoteWriter({
      baseUrl: 'https://acme.zendesk.com',
      auth: { kind: 'oauth', accessToken: 't' },
      fetch: fakeFetch,
    });
    expect(await failureOf(writer.findNoteWithMarker(3, 'm'))).toMatchObject({ kind: WriteFailure.Rejected });
    expect(seen).toEqual(['https://acme.zendesk.com/api/v2/tickets/3/comments.json?sort_order=desc&page%5Bsize%5D=100']);
  });
});
