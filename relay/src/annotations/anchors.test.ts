import { describe, expect, it } from 'vitest';
import { ANCHOR_UPDATES_PER_SECOND, type MarkAnchor } from '@live-assist/protocol';
import { testStorage } from '../testing/db.js';
import { recordingRoom } from '../testing/feature-room.js';
import { AnnotationsFeature } from './feature.js';

const room = recordingRoom;

const desk = { role: 'specialist', connectionId: 'c-desk' } as const;
const phone = { role: 'customer', connectionId: 'c-phone' } as const;
const images = { find: () => Promise.resolve(null) };
const update = (frameTime: number, over: Partial<MarkAnchor> = {}): MarkAnchor => ({
  type: 'mark-anchor',
  markId: 'r1',
  frameTime,
  transform: { a: 1, b: 0, tx: frameTime / 100, ty: 0 },
  state: 'tracking',
  ...over,
});

async function withMark(opts: { anchored?: boolean; now?: () => number } = {}) {
  const storage = await testStorage();
  const feature = new AnnotationsFeature('session-1', { store: storage.annotations, images, ...(opts.now ? { now: opts.now } : {}) });
  const { r, sent, rejected } = room();
  await feature.handle(
    {
      type: 'annotation-start',
      id: 'r1',
      tool: 'rectangle',
      color: '#ff1f1f',
      width: 3,
      points: [[0.4, 0.4]],
      ...(opts.anchored === false ? {} : { anchored: true as const }),
    },
    desk,
    r,
  );
  await feature.handle({ type: 'annotation-finish', id: 'r1' }, desk, r);
  sent.length = 0;
  const close = async () => {
    await feature.settled();
    await storage.close();
  };
  return { feature, r, sent, rejected, close };
}

describe('anchored marks on the relay', () => {
  it('relays updates to the customer (observers mirror it), newest frame wins, lane copies go to observers only', async () => {
    const { feature, r, sent, close } = await withMark();
    await feature.handle(update(2), desk, r);
    await feature.handle(update(1), desk, r); // older frame: would move the mark back
    await feature.handle({ ...update(3), peer: true }, desk, r);
    expect(sent).toEqual([
      { to: 'customer', frame: update(2) },
      { to: 'observers', frame: update(3) },
    ]);
    await close();
  });

  it('gives a page that joins again the newest update of each mark after the marks, and forgets undone ones', async () => {
    const { feature, r, sent, close } = await withMark();
    await feature.handle(update(5, { state: 'lost' }), desk, r);
    sent.length = 0;
    await feature.joined('customer', r);
    expect(sent.map((s) => s.frame.type)).toEqual(['annotation-state', 'mark-anchor']);
    expect(sent[1]?.frame).toEqual(update(5, { state: 'lost' }));
    await feature.handle({ type: 'annotation-undo' }, desk, r);
    sent.length = 0;
    await feature.joined('customer', r);
    expect(sent.map((s) => s.frame.type)).toEqual(['annotation-state']);
    await close();
  });

  it('refuses updates from the customer, for marks that are not anchored, and drops them quietly after an undo', async () => {
    const plain = await withMark({ anchored: false });
    await plain.feature.handle(update(1), desk, plain.r);
    await plain.feature.handle(update(2), phone, plain.r);
    expect(plain.rejected).toEqual(['bad-frame', 'forbidden']);
    expect(plain.sent).toEqual([]);
    await plain.close();

    const undone = await withMark();
    await undone.feature.handle({ type: 'annotation-undo' }, desk, undone.r);
    await undone.feature.handle(update(1), desk, undone.r);
    expect(undone.rejected).toEqual([]);
    await undone.close();
  });

  it('a mark started while frozen is never anchored', async () => {
    const storage = await testStorage();
    const feature = new AnnotationsFeature('session-1', { store: storage.annotations, images });
    const { r, sent } = room();
    await feature.handle({ type: 'freeze' }, desk, r);
    await feature.handle(
      { type: 'annotation-start', id: 's1', tool: 'arrow', color: '#ff1f1f', width: 3, points: [[0.1, 0.1]], anchored: true },
      desk,
      r,
    );
    const started = sent.find((s) => s.frame.type === 'annotation-start')?.frame;
    expect(started).toMatchObject({ mark: { id: 's1' } });
    expect(started && 'mark' in started ? started.mark.anchored : 'missing').toBeUndefined();
    await feature.settled();
    await storage.close();
  });

  it('a flood is cut to the per-second budget with one rate-limited error, and the session goes on', async () => {
    let now = 1_000;
    const { feature, r, sent, rejected, close } = await withMark({ now: () => now });
    for (let i = 1; i <= ANCHOR_UPDATES_PER_SECOND * 5; i += 1) await feature.handle(update(i), desk, r);
    expect(sent).toHaveLength(ANCHOR_UPDATES_PER_SECOND);
    expect(rejected).toEqual(['rate-limited']);
    now += 1_000;
    await feature.handle(update(10_000), desk, r);
    expect(sent.at(-1)).toEqual({ to: 'customer', frame: update(10_000) });
    await close();
  });
});
