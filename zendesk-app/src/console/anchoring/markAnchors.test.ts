import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnnotationModel } from '@live-assist/client-core';
import type { Mark, MarkAnchor } from '@live-assist/protocol';
import type { AnchorEngine, AnchorUpdate, Region } from './engine';
import { MarkAnchors } from './markAnchors';

/** A remote video whose frames the test presents one by one. */
class FakeVideo {
  videoWidth = 640;
  videoHeight = 360;
  private callbacks: Array<(now: number, meta: { mediaTime: number }) => void> = [];
  requestVideoFrameCallback(cb: (now: number, meta: { mediaTime: number }) => void): number {
    this.callbacks.push(cb);
    return this.callbacks.length;
  }
  cancelVideoFrameCallback(): void {
    this.callbacks = [];
  }
  present(mediaTime: number): void {
    const due = this.callbacks;
    this.callbacks = [];
    for (const cb of due) cb(0, { mediaTime });
  }
}

/** Moves every anchored region right by `shift` per tracked frame; `lose` makes the next one lost. */
class FakeEngine implements AnchorEngine {
  anchored: Array<{ id: string; region: Region; frameTime: number }> = [];
  dropped: string[] = [];
  lose = false;
  private ids = new Set<string>();
  private tracked = 0;
  anchor(id: string, _b: ImageBitmap, region: Region, frameTime: number) {
    this.anchored.push({ id, region, frameTime });
    this.ids.add(id);
    this.tracked = 0;
  }
  pin = this.anchor;
  track(_b: ImageBitmap, frameTime: number): Promise<AnchorUpdate[]> {
    this.tracked += 1;
    return Promise.resolve(
      [...this.ids].map((id) => ({
        id,
        frameTime,
        transform: { a: 1, b: 0, tx: 0.01 * this.tracked, ty: 0 },
        confidence: 0.9,
        lost: this.lose,
      })),
    );
  }
  drop(id: string) {
    this.dropped.push(id);
    this.ids.delete(id);
  }
  close() {}
}

const rect = (id: string): Mark => ({
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
  done: true,
  anchored: true,
  version: 1,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const model = new AnnotationModel(() => 0);
  const engine = new FakeEngine();
  const sent: MarkAnchor[] = [];
  const loads = vi.fn(() => Promise.resolve(engine));
  const anchors = new MarkAnchors({ model, send: (u) => sent.push(u), loadEngine: loads });
  const video = new FakeVideo();
  anchors.setVideo(video as unknown as HTMLVideoElement);
  /** Presents a frame and lets the tracking it starts finish. */
  const frame = async (t: number) => {
    video.present(t);
    for (let i = 0; i < 5; i += 1) await settle();
  };
  return { model, engine, sent, loads, anchors, frame };
}

describe('MarkAnchors (the console’s tracking loop)', () => {
  beforeEach(() => {
    vi.stubGlobal('createImageBitmap', () => Promise.resolve({ close() {} }));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('loads the engine with the first anchored mark only, anchors on the next frame, then moves both pages’ mark at ~15 Hz', async () => {
    const { model, engine, sent, loads, anchors, frame } = setup();
    await frame(0.0);
    expect(loads).not.toHaveBeenCalled();
    // Drawing starts: the engine loads while the drag goes on, once.
    anchors.prepare();
    anchors.prepare();
    expect(loads).toHaveBeenCalledTimes(1);
    model.addLocal(rect('r1'));
    anchors.anchor('r1');
    await frame(1.0);
    expect(loads).toHaveBeenCalledTimes(1);
    expect(engine.anchored).toEqual([{ id: 'r1', region: expect.objectContaining({ x: 0.4, y: 0.4 }), frameTime: 1.0 }]);
    // 60 frames a second: every fourth one is tracked.
    for (let i = 1; i <= 8; i += 1) await frame(1 + i / 60);
    expect(sent.map((u) => u.frameTime)).toEqual([1 + 4 / 60, 1 + 8 / 60]);
    expect(sent.every((u) => u.state === 'tracking')).toBe(true);
    expect(model.anchor('r1')?.transform.tx).toBeCloseTo(0.02);
  });

  it('while the engine is slow (starting, a starved machine) a few frames wait for it in order, spread evenly over the wait', async () => {
    const { model, engine, sent, anchors, frame } = setup();
    const tracked: number[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const track = engine.track.bind(engine);
    engine.track = async (b, frameTime) => {
      tracked.push(frameTime);
      if (tracked.length === 1) await slow;
      return track(b, frameTime);
    };
    model.addLocal(rect('r1'));
    anchors.anchor('r1');
    await frame(1);
    // 1.5 s of 60 Hz video while the first frame is still being tracked: 22 frames are due.
    for (let i = 1; i <= 90; i += 1) await frame(1 + i / 60);
    expect(tracked).toEqual([1 + 4 / 60]);
    release();
    for (let i = 0; i < 30; i += 1) await new Promise((r) => setTimeout(r, 0));
    // In order, the newest among them; the 1.5 s wait is spanned by a few frames, none more than
    // 0.6 s apart (a step the tracker follows), not by one long jump nor by all 22 (each a step late).
    expect(tracked.at(-1)).toBeCloseTo(1 + 88 / 60);
    expect(tracked.length).toBeGreaterThanOrEqual(4);
    expect(tracked.length).toBeLessThanOrEqual(6);
    const gaps = tracked.slice(1).map((t, i) => t - tracked[i]!);
    expect(Math.max(...gaps), `gaps ${gaps.map((g) => Math.round(g * 60)).join(',')} frames`).toBeLessThanOrEqual(0.6);
    expect(sent.map((u) => u.frameTime)).toEqual(tracked);
  });

  it('an engine a little slower than the video works on the newest frame: the mark does not fall behind', async () => {
    const { model, engine, anchors, frame } = setup();
    const tracked: number[] = [];
    const track = engine.track.bind(engine);
    let hold: Promise<void> = Promise.resolve();
    let release: () => void = () => undefined;
    engine.track = async (b, frameTime) => {
      tracked.push(frameTime);
      hold = new Promise<void>((resolve) => (release = resolve));
      await hold;
      return track(b, frameTime);
    };
    model.addLocal(rect('r1'));
    anchors.anchor('r1');
    await frame(1);
    // Each track takes three of the tracker's periods (0.2 s): the next one is the newest frame.
    for (let i = 1; i <= 60; i += 1) {
      await frame(1 + i / 60);
      if (i % 12 === 0) release();
    }
    // Frames (in 60ths after the anchor) each track was handed: the newest when the last returned.
    expect(tracked.map((t) => Math.round((t - 1) * 60))).toEqual([4, 12, 24, 36, 48]);
  });

  it('a lost object fades the mark once; Pin again anchors it where it is shown now and carries on from there', async () => {
    const { model, engine, sent, anchors, frame } = setup();
    model.addLocal(rect('r1'));
    anchors.anchor('r1');
    await frame(1);
    await frame(1.1);
    engine.lose = true;
    await frame(1.2);
    await frame(1.3);
    expect(sent.map((u) => u.state)).toEqual(['tracking', 'lost']);
    expect(anchors.lost.get().ids).toEqual(['r1']);
    engine.lose = false;
    anchors.pin('r1');
    expect(anchors.lost.get().ids).toEqual([]);
    await frame(2);
    // Anchored again on the region as shown: 0.02 to the right of where it was drawn.
    expect(engine.anchored.at(-1)?.region.x).toBeCloseTo(0.42);
    await frame(2.1);
    expect(sent.at(-1)).toMatchObject({ state: 'tracking', frameTime: 2.1 });
    expect(sent.at(-1)?.transform.tx).toBeCloseTo(0.03);
  });

  it('an object lost for a moment (a hand over it) brings its mark back by itself; one gone past the window is let go', async () => {
    const { model, engine, sent, anchors, frame } = setup();
    model.addLocal(rect('r1'));
    anchors.anchor('r1');
    await frame(1);
    await frame(1.1);
    engine.lose = true;
    await frame(1.2);
    await frame(1.3);
    expect(anchors.lost.get().ids).toEqual(['r1']);
    // Found again 0.2 s later: no pin, no drop, the mark tracks on.
    engine.lose = false;
    await frame(1.4);
    expect(sent.map((u) => u.state)).toEqual(['tracking', 'lost', 'tracking']);
    expect(anchors.lost.get().ids).toEqual([]);
    expect(engine.dropped).toEqual([]);
    // Lost for good: still tracked through the window, then dropped; said once.
    engine.lose = true;
    for (const t of [1.5, 2.0, 2.5]) await frame(t);
    expect(engine.dropped).toEqual([]);
    await frame(2.8);
    expect(engine.dropped).toEqual(['r1']);
    expect(sent.map((u) => u.state)).toEqual(['tracking', 'lost', 'tracking', 'lost']);
    expect(anchors.lost.get().ids).toEqual(['r1']);
  });

  it('undo drops the tracking; a freeze fades the live marks so they can be pinned again', async () => {
    const { model, engine, sent, anchors, frame } = setup();
    model.addLocal(rect('r1'));
    model.addLocal(rect('r2'));
    anchors.anchor('r1');
    anchors.anchor('r2');
    await frame(1);
    model.apply({ type: 'annotation-remove', ids: ['r1'] });
    await settle();
    expect(engine.dropped).toEqual(['r1']);
    model.apply({ type: 'freeze-state', freeze: { id: 'f1', status: 'capturing', progress: 0, still: null } });
    await settle();
    expect(sent.filter((u) => u.markId === 'r2').at(-1)?.state).toBe('lost');
    expect(anchors.lost.get().ids).toEqual(['r2']);
    const before = sent.length;
    await frame(1.5);
    expect(sent.length).toBe(before);
  });

  it('a finished anchored mark this console does not track (after a reload) shows lost once and counts on from its last update', async () => {
    const { model, engine, sent, anchors, frame } = setup();
    model.apply({ type: 'annotation-state', state: { marks: [rect('old')], freeze: null, snapshots: [] } });
    // The relay's newest update of it, from the console before the reload (media time 400 s).
    model.apply({ type: 'mark-anchor', markId: 'old', frameTime: 400, transform: { a: 1, b: 0, tx: 0.1, ty: 0 }, state: 'tracking' });
    await frame(0.5);
    expect(sent.map((u) => [u.markId, u.state, u.transform.tx])).toEqual([['old', 'lost', 0.1]]);
    expect(sent[0]!.frameTime).toBeGreaterThan(400);
    expect(anchors.lost.get().ids).toEqual(['old']);
    await frame(0.6);
    expect(sent).toHaveLength(1);
    // Pinned on this page's frames (media time near 0 again): its updates still count up.
    anchors.pin('old');
    await frame(1);
    expect(engine.anchored.map((a) => a.id)).toEqual(['old']);
    await frame(1.1);
    expect(sent.at(-1)).toMatchObject({ state: 'tracking' });
    expect(sent.at(-1)!.frameTime).toBeGreaterThan(sent[0]!.frameTime);
    expect(model.anchor('old')?.state).toBe('tracking');
  });
});
