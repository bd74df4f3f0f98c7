import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/db.js';
import { noteMarker } from './marker.js';
import { startFakeZendesk, type FakeZendesk } from '../testing/fakes/zendesk.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from '../testing/outbox-fixture.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let zendesk: FakeZendesk;
let fx: OutboxFixture;

beforeEach(async () => {
  zendesk = await startFakeZendesk({ tickets: [1] });
});

afterEach(async () => {
  await fx.cleanup();
  await zendesk.close();
});

const files = (n: number) =>
  Promise.all(
    Array.from({ length: n }, async (_, i) => ({
      fileName: `photo-${i + 1}.png`,
      contentType: 'image/png',
      blobKey: await fx.file(`p${i + 1}.png`, PNG),
    })),
  );

describe.each(ENGINES)('write-back outbox: files the helpdesk will not take on one comment (%s)', (engine) => {
  beforeEach(async () => {
    fx = await outboxFixture(engine);
  });

  it('on a 4xx about the number of files it retries with half, and the rest follow in their own comments', async () => {
    // The helpdesk takes fewer files on one comment than it documents.
    const tooMany = { status: 422, body: JSON.stringify({ error: 'RecordInvalid', description: 'Too many attachments on this comment' }) };
    zendesk.script('note', tooMany, tooMany);
    const outbox = fx.open(zendesk);
    outbox.start();
    const op = { ...noteOp('call-note:split', 1, await files(8)), followUpHtml: '<p>More files</p>' };
    await outbox.enqueue(op);

    await waitForState(outbox, op.opKey, 'done');
    await waitForState(outbox, 'call-note:split:part-2', 'done');
    await waitForState(outbox, 'call-note:split:part-3', 'done');

    const comments = zendesk.comments(1);
    const [note, ...more] = comments;
    expect(note?.html_body).toContain('Chat &amp; photos for call-note:split');
    expect(note?.plain_body).toContain(noteMarker(op.opKey));
    expect(note?.attachments.map((a) => a.file_name)).toEqual(['photo-1.png', 'photo-2.png']);
    expect(more.every((c) => c.html_body.includes('More files') && !c.html_body.includes('Chat &amp; photos'))).toBe(true);
    const all = comments.flatMap((c) => c.attachments.map((a) => a.file_name)).sort();
    expect(all).toEqual((await files(8)).map((f) => f.fileName).sort());
  });

  it('writes the text of the note even when the helpdesk refuses every file on it', async () => {
    const tooLarge = { status: 413, body: 'Request Entity Too Large' };
    zendesk.script('note', tooLarge, tooLarge);
    const outbox = fx.open(zendesk);
    outbox.start();
    const op = { ...noteOp('call-note:text', 1, await files(2)), followUpHtml: '<p>More files</p>' };
    await outbox.enqueue(op);

    await waitForState(outbox, op.opKey, 'done');
    const [note] = zendesk.comments(1);
    expect(note?.plain_body).toContain(noteMarker(op.opKey));
    expect(note?.attachments).toEqual([]);
    await waitForState(outbox, 'call-note:text:part-2', 'done');
    await waitForState(outbox, 'call-note:text:part-3', 'done');
    expect(
      zendesk
        .comments(1)
        .flatMap((c) => c.attachments.map((a) => a.file_name))
        .sort(),
    ).toEqual(['photo-1.png', 'photo-2.png']);
  });
});
