import { afterEach, describe, expect, it } from 'vitest';
import { startFakeZendesk, type FakeZendesk } from '../testing/fakes/zendesk.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from '../testing/outbox-fixture.js';
import type { HelpdeskNoteWriter, NoteWriteOptions } from './types.js';

let fx: OutboxFixture;
let zendesk: FakeZendesk;
afterEach(async () => {
  await fx.cleanup();
  await zendesk.close();
});

/** A helpdesk whose note request answers when the test says so (or fails when aborted). */
function heldWriter() {
  let started: () => void = () => {};
  const noteStarted = new Promise<void>((resolve) => (started = resolve));
  let answer: () => void = () => {};
  const writer: HelpdeskNoteWriter = {
    uploadAttachment: () => Promise.resolve('upload-token'),
    findNoteWithMarker: () => Promise.resolve(false),
    addInternalNote: (_ticket: number, _html: string, _tokens: readonly string[], options: NoteWriteOptions = {}) =>
      new Promise<void>((resolve, reject) => {
        answer = resolve;
        options.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        started();
      }),
  };
  return { writer, noteStarted, answer: () => answer() };
}

/** A running outbox whose note request for `opKey` has reached the helpdesk and waits there. */
async function noteInFlight(opKey: string) {
  zendesk = await startFakeZendesk();
  fx = await outboxFixture();
  const held = heldWriter();
  const outbox = fx.open(zendesk, { writer: held.writer });
  await outbox.enqueue(noteOp(opKey, 1));
  outbox.start();
  await held.noteStarted;
  return { outbox, held };
}

describe('stopping the outbox with a note request in flight', () => {
  it('lets the request finish within the grace: the note is done, not left for another relay', async () => {
    const { outbox, held } = await noteInFlight('call-note:graceful');
    const stopped = outbox.stop(30_000);
    held.answer();
    await stopped;
    expect((await outbox.status('call-note:graceful'))?.state).toBe('done');
  });

  it('interrupts it once the grace is over: the operation stays due for the next start', async () => {
    const { outbox } = await noteInFlight('call-note:cut');
    await outbox.stop(20);
    expect((await outbox.status('call-note:cut'))?.state).toBe('pending');

    const next = fx.open(zendesk);
    next.start();
    await waitForState(next, 'call-note:cut', 'done');
  });
});
