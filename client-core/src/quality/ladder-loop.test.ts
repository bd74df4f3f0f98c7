import { describe, expect, it } from 'vitest';
import type { QualityStep } from '@live-assist/protocol';
import { LadderLoop } from './ladder-loop.js';
import type { LinkSample } from './ladder.js';

function setup(samples: LinkSample[]) {
  let t = 0;
  const pcs = [
    { connectionState: 'connected', getTransceivers: () => [] },
    { connectionState: 'connected', getTransceivers: () => [] },
  ];
  let current: unknown = pcs[0];
  const applied: Array<{ pc: unknown; step: QualityStep; firstFrames?: boolean }> = [];
  const steps: QualityStep[] = [];
  const loop = new LadderLoop({
    pc: () => current as RTCPeerConnection,
    onStep: (step) => steps.push(step),
    now: () => t,
    sample: async () => samples.shift() ?? { availableKbps: 2500, loss: 0, rttMs: 40 },
    apply: async (_senders, step, options) => {
      applied.push({ pc: current, step, ...(options?.firstFrames ? { firstFrames: true } : {}) });
    },
  });
  const tick = async () => {
    t += 1000;
    await loop.tick();
  };
  return { loop, tick, applied, steps, pcs, use: (i: number) => (current = pcs[i]) };
}

describe('the ladder on a peer connection', () => {
  it('applies the first step to a new connection, then only changes, and tells the call each change', async () => {
    const t = setup([
      ...Array.from({ length: 3 }, () => ({ availableKbps: 2500, loss: 0, rttMs: 40 })),
      { availableKbps: 30, loss: 0.2, rttMs: 40 },
      { availableKbps: 30, loss: 0.2, rttMs: 40 },
    ]);
    for (let i = 0; i < 5; i += 1) await t.tick();
    expect(t.applied.map((a) => a.step)).toEqual(['high', 'audio']);
    expect(t.steps).toEqual(['audio']);
    expect(t.loop.step).toBe('audio');
  });

  it('a new peer connection (the other page came back) starts at the step the link was last found at', async () => {
    const t = setup([
      { availableKbps: 200, loss: 0, rttMs: 40 },
      { availableKbps: 200, loss: 0, rttMs: 40 },
    ]);
    await t.tick();
    await t.tick();
    t.use(1);
    await t.tick();
    expect(t.applied.map((a) => [a.pc === t.pcs[1], a.step])).toEqual([
      [false, 'high'],
      [false, 'low'],
      [true, 'low'],
    ]);
  });

  it("a pair's video starts small and gets the step's own size once its first frames are out", async () => {
    const notYet = { availableKbps: 2500, loss: 0, rttMs: 40, videoStarted: false };
    const t = setup([notYet, notYet, { ...notYet, videoStarted: true }]);
    await t.loop.prime(t.pcs[0] as unknown as RTCPeerConnection);
    await t.tick();
    await t.tick();
    await t.tick();
    await t.tick();
    expect(t.applied).toEqual([
      { pc: t.pcs[0], step: 'high', firstFrames: true },
      { pc: t.pcs[0], step: 'high' },
    ]);
    // A new pair whose camera has not started yet (the first reading says so) also starts small.
    const s = setup([notYet]);
    await s.tick();
    expect(s.applied).toEqual([{ pc: s.pcs[0], step: 'high', firstFrames: true }]);
  });

  it("the estimate's climb is timed from when the pair's video starts, not from when the loop was made", async () => {
    const notYet = { availableKbps: 2500, loss: 0, rttMs: 40, videoStarted: false };
    // The browser's estimate, still near its start rate: it climbs once video flows.
    const climbing = { availableKbps: 340, loss: 0, rttMs: 40, sentKbps: 300, videoStarted: true };
    const t = setup([...Array.from({ length: 20 }, () => notYet), ...Array.from({ length: 10 }, () => climbing)]);
    for (let i = 0; i < 30; i += 1) await t.tick();
    expect(t.steps).toEqual([]);
    expect(t.loop.step).toBe('high');
  });

  it('touches nothing while the connection is not up', async () => {
    const t = setup([]);
    (t.pcs[0] as { connectionState: string }).connectionState = 'connecting';
    await t.tick();
    expect(t.applied).toEqual([]);
    (t.pcs[0] as { connectionState: string }).connectionState = 'connected';
    t.loop.stop();
    await t.tick();
    // Stopped (the call was left): the step is read but nothing is applied or announced any more.
    expect(t.steps).toEqual([]);
  });
});
