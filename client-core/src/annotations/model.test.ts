import { describe, expect, it } from 'vitest';
import type { Mark } from '@live-assist/protocol';
import { AnnotationModel } from './model.js';

const mark = (id: string, stillId: string | null = null): Mark => ({
  id,
  author: 'specialist',
  tool: 'rectangle',
  color: '#ff1f1f',
  width: 6,
  points: [
    [0.1, 0.1],
    [0.2, 0.2],
  ],
  stillId,
  done: true,
  version: 0,
});

describe('AnnotationModel', () => {
  it('shows live marks when live and the still’s marks while frozen; unfreeze drops the still’s', () => {
    const model = new AnnotationModel(() => 0);
    model.apply({ type: 'annotation-state', state: { marks: [mark('live')], freeze: null, snapshots: [] } });
    expect(model.visibleMarks().map((m) => m.id)).toEqual(['live']);
    model.apply({ type: 'freeze-state', freeze: { id: 'f1', status: 'ready', progress: 1, still: null } });
    model.apply({ type: 'annotation-start', mark: mark('on-still', 'f1') });
    expect(model.visibleMarks().map((m) => m.id)).toEqual(['on-still']);
    model.apply({ type: 'freeze-state', freeze: null });
    expect(model.visibleMarks().map((m) => m.id)).toEqual(['live']);
    expect(model.mark('on-still')).toBeUndefined();
  });

  it('shows whichever copy of a pointer arrives first and never moves back to an older one', () => {
    const model = new AnnotationModel(() => 0);
    model.receivePointer('specialist', [0.2, 0.2], 101);
    model.receivePointer('specialist', [0.1, 0.1], 100);
    expect(model.pointer('specialist')?.point).toEqual([0.2, 0.2]);
    // The hide over the relay wins over a position that went earlier on the lane and came late.
    model.apply({ type: 'pointer', from: 'specialist', point: null, seq: 102 });
    model.receivePointer('specialist', [0.3, 0.3], 101);
    expect(model.pointer('specialist')).toBeNull();
    // The relay hiding the pointer of a page that left starts the count afresh: a reloaded page's
    // first position shows whatever its seq.
    model.apply({ type: 'pointer', from: 'specialist', point: null });
    model.receivePointer('specialist', [0.4, 0.4], 5);
    expect(model.pointer('specialist')?.point).toEqual([0.4, 0.4]);
  });

  it('keeps a short pointer trail and forgets it when the pointer hides', () => {
    let now = 0;
    const model = new AnnotationModel(() => now);
    for (let i = 0; i < 5; i += 1) {
      now = i * 100;
      model.apply({ type: 'pointer', from: 'specialist', point: [i / 10, 0.5] });
    }
    // Only points younger than the trail length stay.
    expect(model.pointer('specialist')?.trail.map((t) => t.at)).toEqual([100, 200, 300, 400]);
    model.apply({ type: 'pointer', from: 'specialist', point: null });
    expect(model.pointer('specialist')).toBeNull();
  });

  it('merges trail points closer than 30 ms but always shows the pointer where it is now', () => {
    let now = 0;
    const model = new AnnotationModel(() => now);
    for (let i = 0; i <= 6; i += 1) {
      now = i * 16;
      model.apply({ type: 'pointer', from: 'specialist', point: [i / 10, 0.5] });
    }
    const view = model.pointer('specialist')!;
    expect(view.point).toEqual([0.6, 0.5]);
    expect(view.trail.map((t) => t.at)).toEqual([0, 32, 64, 96]);
    expect(view.trail.at(-1)?.point).toEqual([0.6, 0.5]);
  });
});
