import { describe, expect, it } from 'vitest';
import type { ClientToRelay } from '@live-assist/protocol';
import { AnnotationDrawer } from './drawer.js';
import { AnnotationModel } from './model.js';

function setup() {
  const sent: ClientToRelay[] = [];
  const frames: Array<() => void> = [];
  const model = new AnnotationModel(() => 0);
  let n = 0;
  const drawer = new AnnotationDrawer({
    model,
    role: 'specialist',
    send: (f) => sent.push(f),
    schedule: (run) => frames.push(run),
    newId: () => `m${++n}`,
  });
  const nextFrame = () => frames.splice(0).forEach((run) => run());
  return { sent, model, drawer, nextFrame };
}

describe('AnnotationDrawer', () => {
  it('sends the first pointer move at once and merges the rest of that send window', () => {
    const { sent, drawer, nextFrame } = setup();
    drawer.pointer([0.1, 0.1]);
    drawer.pointer([0.2, 0.2]);
    drawer.pointer([0.3, 0.3]);
    expect(sent).toEqual([{ type: 'pointer', point: [0.1, 0.1] }]);
    nextFrame();
    expect(sent.at(-1)).toEqual({ type: 'pointer', point: [0.3, 0.3] });
    expect(sent).toHaveLength(2);
    nextFrame();
    // Idle again: the next move goes out immediately.
    drawer.pointer([0.4, 0.4]);
    expect(sent).toHaveLength(3);
    drawer.pointer(null);
    expect(sent.at(-1)).toEqual({ type: 'pointer', point: null });
  });

  it('streams a freehand stroke as start, batched extends and finish, and shows it locally', () => {
    const { sent, model, drawer, nextFrame } = setup();
    const style = { tool: 'freehand', color: '#ff1f1f', width: 6 } as const;
    drawer.down(style, [0.1, 0.1]);
    drawer.move('freehand', [0.2, 0.2]);
    drawer.move('freehand', [0.3, 0.3]);
    drawer.move('freehand', [0.4, 0.4]);
    nextFrame();
    drawer.up();
    expect(sent.map((f) => f.type)).toEqual(['annotation-start', 'annotation-extend', 'annotation-extend', 'annotation-finish']);
    expect(sent[1]).toEqual({ type: 'annotation-extend', id: 'm1', points: [[0.2, 0.2]] });
    expect(sent[2]).toEqual({
      type: 'annotation-extend',
      id: 'm1',
      points: [
        [0.3, 0.3],
        [0.4, 0.4],
      ],
    });
    expect(model.mark('m1')).toMatchObject({
      points: [
        [0.1, 0.1],
        [0.2, 0.2],
        [0.3, 0.3],
        [0.4, 0.4],
      ],
      done: true,
    });
  });

  it('a rectangle only ever carries its start and newest end point', () => {
    const { sent, model, drawer } = setup();
    drawer.down({ tool: 'rectangle', color: '#ffd400', width: 3 }, [0.1, 0.2]);
    drawer.move('rectangle', [0.3, 0.4]);
    drawer.move('rectangle', [0.5, 0.6]);
    drawer.up();
    expect(model.mark('m1')?.points).toEqual([
      [0.1, 0.2],
      [0.5, 0.6],
    ]);
    expect(sent.filter((f) => f.type === 'annotation-extend').at(-1)).toEqual({
      type: 'annotation-extend',
      id: 'm1',
      points: [[0.5, 0.6]],
    });
  });
});
