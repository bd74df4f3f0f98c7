import { describe, expect, it, vi } from 'vitest';
import { AnnotationModel } from '@live-assist/client-core';
import type { Mark } from '@live-assist/protocol';
import type { AnchorEngine } from './engine';
import { LazyMarkAnchors, WARM_AFTER_MS } from './lazyAnchors';

const engine: AnchorEngine = {
  anchor() {},
  pin() {},
  track: () => Promise.resolve([]),
  drop() {},
  close() {},
};

const rect = (id: string, done: boolean): Mark => ({
  id,
  author: 'specialist',
  tool: 'rectangle',
  color: '#ff1f1f',
  width: 6,
  points: [
    [0.4, 0.4],
    [0.5, 0.5],
  ],
  stillId: null,
  done,
  anchored: true,
  version: 1,
});

describe('LazyMarkAnchors (what the console’s first load carries)', () => {
  it('loads the tracking loop only when a mark is drawn on live video, and the engine only with it', async () => {
    const model = new AnnotationModel(() => 0);
    const loadEngine = vi.fn(() => Promise.resolve(engine));
    const lazy = new LazyMarkAnchors({ model, send: () => undefined, loadEngine });
    const load = vi.spyOn(lazy, 'load');
    model.addLocal({ ...rect('plain', true), anchored: undefined });
    expect(load).not.toHaveBeenCalled();
    lazy.prepare();
    const loop = await lazy.load();
    expect(loadEngine).toHaveBeenCalledTimes(1);
    // The surface reads the lost marks from the front before the loop exists: the same store.
    expect(loop.lost).toBe(lazy.lost);
    lazy.dispose();
  });

  it('loads the engine a few seconds after the live video starts playing, not before', async () => {
    vi.useFakeTimers();
    try {
      const model = new AnnotationModel(() => 0);
      const loadEngine = vi.fn(() => Promise.resolve(engine));
      const lazy = new LazyMarkAnchors({ model, send: () => undefined, loadEngine });
      const video = new EventTarget() as unknown as HTMLVideoElement;
      lazy.setVideo(video);
      await vi.advanceTimersByTimeAsync(2 * WARM_AFTER_MS);
      expect(loadEngine).not.toHaveBeenCalled();
      video.dispatchEvent(new Event('playing'));
      await vi.advanceTimersByTimeAsync(WARM_AFTER_MS - 100);
      expect(loadEngine).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(loadEngine).toHaveBeenCalledTimes(1);
      lazy.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a console closed before then loads nothing', async () => {
    vi.useFakeTimers();
    try {
      const loadEngine = vi.fn(() => Promise.resolve(engine));
      const lazy = new LazyMarkAnchors({ model: new AnnotationModel(() => 0), send: () => undefined, loadEngine });
      const video = new EventTarget() as unknown as HTMLVideoElement;
      lazy.setVideo(video);
      video.dispatchEvent(new Event('playing'));
      lazy.dispose();
      await vi.advanceTimersByTimeAsync(2 * WARM_AFTER_MS);
      expect(loadEngine).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads at once for a session that already holds finished anchored marks (a reloaded console)', () => {
    const model = new AnnotationModel(() => 0);
    model.apply({ type: 'annotation-state', state: { marks: [rect('old', true)], freeze: null, snapshots: [] } });
    const load = vi.spyOn(LazyMarkAnchors.prototype, 'load');
    const lazy = new LazyMarkAnchors({ model, send: () => undefined, loadEngine: () => Promise.resolve(engine) });
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRestore();
    lazy.dispose();
  });
});
