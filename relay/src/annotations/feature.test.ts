import { describe, expect, it } from 'vitest';
import { testStorage } from '../testing/db.js';
import { recordingRoom } from '../testing/feature-room.js';
import { AnnotationsFeature } from './feature.js';

const room = recordingRoom;

const desk = { role: 'specialist', connectionId: 'c-desk' } as const;
const images = { find: () => Promise.resolve(null) };

describe('AnnotationsFeature', () => {
  it('a relay restart (new feature, same database) gives joiners the marks drawn before it', async () => {
    const storage = await testStorage();
    const store = storage.annotations;
    const before = new AnnotationsFeature('session-1', { store, images, saveDelayMs: 5 });
    const { r } = room();
    await before.joined('specialist', r);
    await before.handle(
      { type: 'annotation-start', id: 'a1', tool: 'freehand', color: '#00b7ff', width: 3, points: [[0.1, 0.1]] },
      desk,
      r,
    );
    await before.handle({ type: 'annotation-extend', id: 'a1', points: [[0.2, 0.3]] }, desk, r);
    // Growing strokes are saved shortly after, not on every point.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await before.settled();

    const after = new AnnotationsFeature('session-1', { store, images });
    const next = room();
    await after.joined('customer', next.r);
    const state = next.sent.find((s) => s.frame.type === 'annotation-state')?.frame;
    expect(state).toMatchObject({
      state: {
        marks: [
          {
            id: 'a1',
            points: [
              [0.1, 0.1],
              [0.2, 0.3],
            ],
            done: false,
          },
        ],
      },
    });
    await storage.close();
  });

  it('annotation-sync answers the asking side with the current marks (a page that started listening late)', async () => {
    const storage = await testStorage();
    const feature = new AnnotationsFeature('session-1', { store: storage.annotations, images });
    const { r, sent } = room();
    await feature.handle(
      { type: 'annotation-start', id: 'r1', tool: 'rectangle', color: '#ff1f1f', width: 3, points: [[0.35, 0.2]] },
      desk,
      r,
    );
    await feature.handle({ type: 'annotation-finish', id: 'r1' }, desk, r);
    sent.length = 0;
    await feature.handle({ type: 'annotation-sync' }, { role: 'customer', connectionId: 'c-phone' }, r);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'customer', frame: { type: 'annotation-state', state: { marks: [{ id: 'r1', done: true }] } } });
    // Saving is deferred: let it finish before the database goes.
    await feature.settled();
    await storage.close();
  });

  it('pointer frames are relayed to the other side only, and hidden when that side leaves', async () => {
    const storage = await testStorage();
    const feature = new AnnotationsFeature('session-1', { store: storage.annotations, images });
    const { r, sent } = room();
    await feature.handle({ type: 'pointer', point: [0.5, 0.5] }, desk, r);
    feature.left('specialist', r);
    expect(sent).toEqual([
      { to: 'customer', frame: { type: 'pointer', from: 'specialist', point: [0.5, 0.5] } },
      { to: 'customer', frame: { type: 'pointer', from: 'specialist', point: null } },
    ]);
    await storage.close();
  });

  it('a pointer that went straight to the other page reaches only the observers, with its place in the stream', async () => {
    const storage = await testStorage();
    const feature = new AnnotationsFeature('session-1', { store: storage.annotations, images });
    const { r, sent } = room();
    await feature.handle({ type: 'pointer', point: [0.25, 0.75], seq: 41, peer: true }, desk, r);
    await feature.handle({ type: 'pointer', point: null, seq: 42 }, desk, r);
    expect(sent).toEqual([
      { to: 'observers', frame: { type: 'pointer', from: 'specialist', point: [0.25, 0.75], seq: 41 } },
      { to: 'customer', frame: { type: 'pointer', from: 'specialist', point: null, seq: 42 } },
    ]);
    await storage.close();
  });
});
