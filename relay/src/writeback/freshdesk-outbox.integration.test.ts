import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { DEFAULT_FRESHDESK_AGENT, FAKE_TICKET_BUDGET, startFakeFreshdesk, type FakeFreshdesk } from '../testing/fakes/freshdesk.js';
import { waitFor } from '../testing/harness.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from '../testing/outbox-fixture.js';
import { noteMarker } from './marker.js';
import type { OutboxStatus } from './types.js';

/**
 * The outbox against the Freshdesk stand-in: whatever Freshdesk answers (429, 5xx, no answer after
 * it stored the note), the call leaves exactly one private note with its files; and a call whose
 * pictures exceed what the ticket can still take leaves a complete note too.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let fd: FakeFreshdesk;
let fx: OutboxFixture;

beforeEach(async () => {
  fd = await startFakeFreshdesk({ tickets: [1, 2], pageSize: 2 });
});
afterEach(async () => {
  await fx.cleanup();
  await fd.close();
});

const count = (method: string, fragment: string) => fd.requests.filter((r) => r.method === method && r.path.includes(fragment)).length;
const notePosts = () => count('POST', '/notes');
const markerLooks = () => fd.requests.filter((r) => r.path.includes('/conversations')).length;
const marked = (ticketId: number, opKey: string) => fd.notes(ticketId).filter((n) => n.body_text.includes(noteMarker(opKey)));

describe.each(ENGINES)('write-back outbox against the Freshdesk stand-in (%s)', (engine) => {
  beforeEach(async () => {
    fx = await outboxFixture(engine);
  });

  it('writes one private note with its files and the agent as author; a repeated enqueue is a no-op', async () => {
    const outbox = fx.open(fd);
    outbox.start();
    const op = {
      ...noteOp('call-note:fd1', 1, [
        { fileName: 'photo-1.png', contentType: 'image/png', blobKey: await fx.file('p1.png', PNG) },
        { fileName: 'snapshot 2.png', contentType: 'image/png', blobKey: await fx.file('p2.png', PNG) },
      ]),
      authorId: DEFAULT_FRESHDESK_AGENT.id,
    };
    expect(await outbox.enqueue(op)).toBe(true);
    await waitForState(outbox, op.opKey, 'done');
    expect(await outbox.enqueue(op)).toBe(false);

    const [note, ...others] = fd.conversations(1);
    expect(others).toHaveLength(0);
    expect(note).toMatchObject({ private: true, source: 2, user_id: DEFAULT_FRESHDESK_AGENT.id });
    expect(note?.body).toContain('Chat &amp; photos for call-note:fd1');
    expect(note?.body_text).toContain(noteMarker(op.opKey));
    expect(note?.attachments.map((a) => [a.name, a.content_type, a.size])).toEqual([
      ['photo-1.png', 'image/png', PNG.length],
      ['snapshot 2.png', 'image/png', PNG.length],
    ]);
  });

  it('429 with Retry-After: waits that long, then writes once without looking for the note', async () => {
    fd.script('note', { status: 429, headers: { 'Retry-After': '1' } });
    const outbox = fx.open(fd);
    const seen: OutboxStatus[] = [];
    outbox.onStatus((key, status) => key === 'call-note:fd-rl' && seen.push(status));
    outbox.start();
    await outbox.enqueue(noteOp('call-note:fd-rl', 1));

    await waitForState(outbox, 'call-note:fd-rl', 'done');
    await waitFor('the done status to be told', async () => seen.at(-1)?.state === 'done');
    const posts = fd.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    const waited = posts[1]!.at - posts[0]!.at;
    console.info(`[measured] Freshdesk 429 Retry-After: 1 s -> next POST after ${waited} ms`);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(seen.map((s) => s.state)).toEqual(['pending', 'retrying', 'done']);
    // A 429 means "not written": no need to look for the marker.
    expect(markerLooks()).toBe(0);
    expect(marked(1, 'call-note:fd-rl')).toHaveLength(1);
  });

  it('three 500s then success: exactly one note, the marker looked for before each retry', async () => {
    fd.script('note', { status: 500 }, { status: 502 }, { status: 503 });
    const outbox = fx.open(fd);
    outbox.start();
    await outbox.enqueue(
      noteOp('call-note:fd-5xx', 1, [{ fileName: 'a.png', contentType: 'image/png', blobKey: await fx.file('a.png', PNG) }]),
    );

    const status = await waitForState(outbox, 'call-note:fd-5xx', 'done');
    expect(status).toMatchObject({ state: 'done', attempts: 4 });
    expect(notePosts()).toBe(4);
    expect(marked(1, 'call-note:fd-5xx')).toHaveLength(1);
    expect(fd.notes(1)).toHaveLength(1);
    expect(fd.notes(1)[0]?.attachments.map((a) => a.name)).toEqual(['a.png']);
  });

  it('a 500 after Freshdesk stored the note: found by its marker, not written again', async () => {
    fd.script('note', { status: 500, commit: true });
    const outbox = fx.open(fd);
    outbox.start();
    await outbox.enqueue(noteOp('call-note:fd-500c', 1));
    await waitForState(outbox, 'call-note:fd-500c', 'done');
    expect(notePosts()).toBe(1);
    expect(fd.notes(1)).toHaveLength(1);
  });

  it('a timeout after Freshdesk stored the note does not write it twice, however many pages the ticket has', async () => {
    const outbox = fx.open(fd, { requestTimeoutMs: 300 });
    outbox.start();
    for (let i = 0; i < 5; i += 1) fd.addConversation(1, []);
    fd.script('note', { hang: true, commit: true });
    await outbox.enqueue(noteOp('call-note:fd-slow', 1));

    const status = await waitForState(outbox, 'call-note:fd-slow', 'done');
    expect(status.attempts).toBe(2);
    expect(notePosts()).toBe(1);
    // Oldest first, two a page: the note is on the last of three pages, reached by the Link header.
    expect(markerLooks()).toBe(3);
    expect(marked(1, 'call-note:fd-slow')).toHaveLength(1);
  });

  it('a refusal (4xx) fails at once with Freshdesk’s reason, kept for an operator to retry', async () => {
    const refusal = {
      description: 'Validation failed',
      errors: [{ field: 'user_id', message: 'There is no agent', code: 'invalid_value' }],
    };
    fd.script('note', { status: 400, body: JSON.stringify(refusal) });
    const outbox = fx.open(fd);
    outbox.start();
    await outbox.enqueue(noteOp('call-note:fd-400', 1));
    const failed = await waitForState(outbox, 'call-note:fd-400', 'failed');
    expect(failed).toMatchObject({ lastError: expect.stringContaining('user_id: There is no agent [invalid_value]') });
    expect(await outbox.retryFailed('call-note:fd-400')).toBe(true);
    await waitForState(outbox, 'call-note:fd-400', 'done');
    expect(fd.notes(1)).toHaveLength(1);
  });
});

describe.each(ENGINES)("the Freshdesk ticket's 20 MB of attachments (%s)", (engine) => {
  beforeEach(async () => {
    fx = await outboxFixture(engine);
  });

  /** A camera-sized picture as hard to compress as they get (noise): about 4.5 MB as a JPEG. */
  const photo = () =>
    sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110, sigma: 50 } } })
      .jpeg({ quality: 97 })
      .toBuffer();

  it('a call whose pictures exceed what the ticket can take still leaves one complete note: every picture, smaller', async () => {
    // The ticket has 12 MB already; the call brings a transcript and six photos of about 3 MB each.
    fd.addConversation(2, [12_000_000]);
    const one = await photo();
    const photos = [one, one, one, one, one, one];
    const attachments = [
      {
        fileName: 'chat-transcript.txt',
        contentType: 'text/plain; charset=utf-8',
        blobKey: await fx.file('chat.txt', 'chat '.repeat(20_000)),
      },
      ...(await Promise.all(
        photos.map(async (p, i) => ({ fileName: `photo-${i + 1}.jpg`, contentType: 'image/jpeg', blobKey: await fx.file(`p${i}.jpg`, p) })),
      )),
    ];
    const brought = photos.reduce((n, p) => n + p.length, 0);
    expect(12_000_000 + brought).toBeGreaterThan(FAKE_TICKET_BUDGET);
    const outbox = fx.open(fd, { requestTimeoutMs: 30_000 });
    outbox.start();
    const op = { ...noteOp('call-note:fd-big', 2, attachments), refusedFilesHeading: 'Not attached' };
    await outbox.enqueue(op);
    await waitForState(outbox, op.opKey, 'done', 120_000);

    const [note, ...more] = fd.notes(2);
    expect(more).toHaveLength(0);
    expect(note?.body_text).toContain(noteMarker(op.opKey));
    expect(note?.body).not.toContain('Not attached');
    expect(note?.attachments.map((a) => a.name)).toEqual(['chat-transcript.txt', ...photos.map((_, i) => `photo-${i + 1}.jpg`)]);
    expect(fd.attachmentBytes(2)).toBeLessThanOrEqual(FAKE_TICKET_BUDGET);
    console.info(
      `[measured] ${(brought / 1e6).toFixed(1)} MB of photos onto a ticket with 12 MB: note carries ${((fd.attachmentBytes(2) - 12_000_000) / 1e6).toFixed(1)} MB, one POST`,
    );
    expect(notePosts()).toBe(1);
  }, 180_000);

  it('a ticket already full: the note is written with its text, and names the files it could not take', async () => {
    fd.addConversation(1, [FAKE_TICKET_BUDGET - 1_000]);
    const outbox = fx.open(fd);
    outbox.start();
    const op = {
      ...noteOp('call-note:fd-full', 1, [
        { fileName: 'chat-transcript.txt', contentType: 'text/plain', blobKey: await fx.file('t.txt', 'x'.repeat(5_000)) },
      ]),
      refusedFilesHeading: 'Nicht angehängt',
    };
    await outbox.enqueue(op);
    await waitForState(outbox, op.opKey, 'done');
    const [note] = fd.notes(1);
    expect(note?.attachments).toEqual([]);
    expect(note?.body).toContain('Nicht angehängt');
    expect(note?.body).toContain('<li>chat-transcript.txt</li>');
  });
});
