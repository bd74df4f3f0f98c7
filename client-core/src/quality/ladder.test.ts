import { describe, expect, it } from 'vitest';
import { initialLadder, LADDER_TIMING, nextLadder, STEPS, type LadderState, type LinkSample } from './ladder.js';

const ok = (availableKbps: number | null): LinkSample => ({ availableKbps, loss: 0, rttMs: 40 });

/** Feeds one sample a second from `start`; returns the state and each second's step. */
function run(state: LadderState, samples: LinkSample[], start = 1000): { state: LadderState; steps: string[] } {
  const steps: string[] = [];
  samples.forEach((sample, i) => {
    state = nextLadder(state, sample, start + i * 1000);
    steps.push(state.step);
  });
  return { state, steps };
}

const repeat = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('the quality ladder', () => {
  it('stays at the top while the link carries HD', () => {
    expect(run(initialLadder(0), repeat(30, ok(2500))).steps).toEqual(repeat(30, 'high'));
  });

  it('falls straight to the step the estimate fits after two bad seconds, not one', () => {
    const { steps } = run(initialLadder(0), repeat(3, ok(140)));
    expect(steps).toEqual(['high', 'low', 'low']);
  });

  it('a fast link the sender does not fill keeps the top step: the low estimate follows what is sent', () => {
    // A still scene or a starved encoder sends 360 kbit/s; the browser then holds its estimate near 1.5× that.
    const unfilled = { availableKbps: 488, loss: 0, rttMs: 5, sentKbps: 360 };
    expect(run(initialLadder(0), repeat(10, unfilled)).steps).toEqual(repeat(10, 'high'));
  });

  it('a thin link pulls the estimate under what is sent: down to where it fits', () => {
    const thin = { availableKbps: 140, loss: 0, rttMs: 60, sentKbps: 330 };
    expect(run(initialLadder(0), repeat(3, thin)).steps).toEqual(['high', 'low', 'low']);
    // The encoder then sends what the estimate allows: the estimate still counts.
    const followed = { availableKbps: 140, loss: 0, rttMs: 60, sentKbps: 130 };
    expect(run(initialLadder(0), repeat(3, followed)).steps).toEqual(['high', 'low', 'low']);
  });

  it("a new pair's estimate climbing from the browser's start rate is no reason to leave HD; a thin link pulling it under that start is", () => {
    // A busy link's delay can hold the climb near the start for seconds; it is still a fast link.
    const climbing = { availableKbps: LADDER_TIMING.startKbps + 40, loss: 0, rttMs: 20, sentKbps: LADDER_TIMING.startKbps };
    const early = run(initialLadder(0), repeat(LADDER_TIMING.rampMs / 1000 - 1, climbing));
    expect(new Set(early.steps)).toEqual(new Set(['high']));
    // Held there past the climb, the estimate is the link's: down to where it fits.
    const held = run(initialLadder(0), repeat(LADDER_TIMING.rampMs / 1000 + 2, climbing));
    expect(held.steps.at(-1)).toBe('medium');
    // Under the start rate it is the link speaking, climb or not.
    const thin = { availableKbps: LADDER_TIMING.startKbps - 60, loss: 0, rttMs: 20, sentKbps: LADDER_TIMING.startKbps };
    expect(run(initialLadder(0), repeat(3, thin)).steps).toEqual(['high', 'low', 'low']);
    // And loss counts at once.
    const lossy = { ...climbing, loss: 0.2 };
    expect(run(initialLadder(0), repeat(2, lossy)).steps).toEqual(['high', 'medium']);
  });

  it('a link that can carry no video goes to voice only', () => {
    expect(run(initialLadder(0), repeat(2, ok(35))).steps).toEqual(['high', 'audio']);
  });

  it('one bad second is a blip: nothing changes', () => {
    expect(run(initialLadder(0), [ok(2500), ok(100), ok(2500), ok(100), ok(2500)]).steps).toEqual(repeat(5, 'high'));
  });

  it('loss or a filling queue without a lower estimate steps down one at a time', () => {
    const lossy = { availableKbps: 2500, loss: 0.2, rttMs: 40 };
    // Each move down waits out the drain (3 s) before the loss counts against the new step.
    expect(run(initialLadder(0), repeat(6, lossy)).steps).toEqual(['high', 'medium', 'medium', 'medium', 'medium', 'low']);
    const queued = [
      ok(2500),
      { availableKbps: 2500, loss: 0, rttMs: 40 + LADDER_TIMING.queueMs },
      { availableKbps: 2500, loss: 0, rttMs: 500 },
    ];
    expect(run(initialLadder(0), queued).steps).toEqual(['high', 'high', 'medium']);
  });

  it("after a move down, the old step's loss still draining from the link is not held against the new one", () => {
    const lossy = { availableKbps: 140, loss: 0.3, rttMs: 700 };
    // Two bad seconds take it to low; the next two are the queue the HD picture left behind.
    const { steps } = run(initialLadder(0), [ok(140), lossy, lossy, lossy, ok(140), ok(140)]);
    expect(steps).toEqual(['high', 'low', 'low', 'low', 'low', 'low']);
    // A queue of HD on a thin link can take longer than that: while the round trip keeps falling, it is still emptying.
    const rtts = [985, 900, 760, 600, 420, 260, 60, 40];
    const emptying = run(initialLadder(0), [ok(140), ok(140), ...rtts.map((rttMs) => ({ availableKbps: 120, loss: 0.3, rttMs }))]);
    expect(emptying.steps.at(-1)).toBe('low');
    // Loss that lasts beyond the drain is the new step's own: it goes on down.
    const lasting = run(initialLadder(0), [ok(140), lossy, lossy, lossy, lossy, lossy, lossy]);
    expect(lasting.steps.at(-1)).toBe('audio');
  });

  it('climbs one step at a time, each after six good seconds: recovering is slower than falling', () => {
    const start = initialLadder(60_000, 'low');
    const { steps } = run(start, repeat(13, ok(2500)), 61_000);
    expect(steps).toEqual([...repeat(5, 'low'), ...repeat(6, 'medium'), 'high', 'high']);
  });

  it('on a video step whose estimate shows headroom (it follows what is sent), it tries the next step after 12 clean seconds; a failed try waits 16 s, then longer', () => {
    // Low sends ~100 kbit/s and is estimated ~200: more than medium needs? Unknown, so it tries.
    const tries: number[] = [];
    let state = initialLadder(0, 'low');
    for (let t = 1000; t <= 120_000; t += 1000) {
      const before = state.step;
      // The link takes low but not medium: medium shows loss two seconds in.
      state = nextLadder(state, state.step === 'medium' ? { availableKbps: 200, loss: 0.2, rttMs: 40 } : ok(200), t);
      if (before === 'low' && state.step === 'medium') tries.push(t);
    }
    expect(tries[0]).toBe(LADDER_TIMING.probeVideoAfterMs);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(LADDER_TIMING.videoBackoffMs);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * LADDER_TIMING.videoBackoffMs);
    // An estimate without headroom (the step uses what the link has) is no reason to try.
    const flat = run(initialLadder(0, 'low'), repeat(60, ok(60)));
    expect(new Set(flat.steps)).toEqual(new Set(['low']));
  });

  it('does not flap on a link that hovers around a step: up needs six good seconds in a row', () => {
    const hovering = Array.from({ length: 40 }, (_, i) => ok(i % 4 === 3 ? 300 : 400));
    const { steps } = run(initialLadder(0, 'medium'), hovering, 60_000);
    expect(new Set(steps)).toEqual(new Set(['medium']));
  });

  it('in voice only, where nothing is sent to measure by, it tries the lowest video step after a while', () => {
    const { steps } = run(initialLadder(0, 'audio'), repeat(10, ok(40)), 1000);
    expect(steps.indexOf('low')).toBe(LADDER_TIMING.probeAudioAfterMs / 1000 - 1);
  });

  it('a try that fails at once waits longer before the next one (8 s, then 16 s), so a dead link is not probed all the time', () => {
    let state = initialLadder(0, 'audio');
    const tries: number[] = [];
    for (let t = 1000; t <= 80_000; t += 1000) {
      const before = state.step;
      // The thin link: any video is too much, which shows two seconds after each try.
      state = nextLadder(state, state.step === 'low' ? { availableKbps: 60, loss: 0.3, rttMs: 900 } : ok(40), t);
      if (before === 'audio' && state.step === 'low') tries.push(t);
    }
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(LADDER_TIMING.backoffMs);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(LADDER_TIMING.maxBackoffMs);
    expect(gaps.every((g) => g <= LADDER_TIMING.maxBackoffMs + 2000)).toBe(true);
  });

  it('every video step needs more than the one below it; the lowest fits a 150 kbit/s link with the voice', () => {
    expect(STEPS.high.needsKbps).toBeGreaterThan(STEPS.medium.needsKbps);
    expect(STEPS.medium.needsKbps).toBeGreaterThan(STEPS.low.needsKbps);
    const low = STEPS.low;
    expect((low.video!.maxBitrate + low.audioMaxBitrate) / 1000).toBeLessThan(150 * 0.75);
  });
});
