import { QualityStep } from '@live-assist/protocol';

/**
 * The quality ladder: what one side sends as its link degrades, from HD down to voice alone, and
 * back up as it recovers. A pure reducer over one-second link samples, so every rule is a unit
 * test; the engine measures (getStats) and applies (setParameters).
 */

export type StepSettings = {
  /** null: video is not sent at all (voice only). */
  video: { scaleResolutionDownBy: number; maxBitrate: number; maxFramerate: number } | null;
  /** Opus ceiling (bit/s): lower steps leave more of a thin link to the picture, or all of it to the voice. */
  audioMaxBitrate: number;
  /**
   * Longer voice packets when the link is thin (Chrome's \`adaptivePtime\`: up to 120 ms). At 20 ms
   * a voice packet is mostly headers (IP, UDP, SRTP, RTP with its extensions: some 28 kbit/s of
   * them alone), which on a 40 kbit/s link leaves nothing for the call's own socket.
   */
  adaptivePtime: boolean;
  /** The estimated uplink (kbit/s) the step needs to hold: its video and voice with their packet overhead. */
  needsKbps: number;
};

/** From a 1280x720 capture. The lowest video step fits a 150 kbit/s link beside the voice. */
export const STEPS: Record<QualityStep, StepSettings> = {
  [QualityStep.high]: {
    video: { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, maxFramerate: 30 },
    audioMaxBitrate: 40_000,
    adaptivePtime: false,
    needsKbps: 1000,
  },
  [QualityStep.medium]: {
    video: { scaleResolutionDownBy: 2, maxBitrate: 450_000, maxFramerate: 24 },
    audioMaxBitrate: 32_000,
    adaptivePtime: false,
    needsKbps: 330,
  },
  [QualityStep.low]: {
    video: { scaleResolutionDownBy: 4, maxBitrate: 70_000, maxFramerate: 12 },
    audioMaxBitrate: 16_000,
    adaptivePtime: true,
    needsKbps: 50,
  },
  [QualityStep.audio]: { video: null, audioMaxBitrate: 12_000, adaptivePtime: true, needsKbps: 0 },
};

/** Best first. */
export const LADDER: readonly QualityStep[] = [QualityStep.high, QualityStep.medium, QualityStep.low, QualityStep.audio];

/** One reading of the link (null where the browser has no figure yet). */
export type LinkSample = {
  /** The sender's bandwidth estimate (candidate pair `availableOutgoingBitrate`), kbit/s. */
  availableKbps: number | null;
  /** Share of this side's packets the other side reports lost since the last sample (0..1). */
  loss: number | null;
  /** Round trip (ms) the other side's reports give. */
  rttMs: number | null;
  /** What this side sent on the link since the last sample (kbit/s, with headers); absent or null: not known. */
  sentKbps?: number | null;
  /** Whether this side's video encoder has put out a frame on this connection; absent: taken as yes. */
  videoStarted?: boolean;
};

export type LadderState = {
  step: QualityStep;
  /** Consecutive samples that said "too much for this step". */
  bad: number;
  /** Consecutive samples that said "the next step up would fit". */
  good: number;
  /** When the step last changed (ms). */
  changedAt: number;
  /** Which way it last changed: after a move down the link's queue still drains for a moment. */
  lastMove: 'up' | 'down' | null;
  /** The lowest round trip seen: queueing in a saturated link shows as round trip above it. */
  baseRttMs: number | null;
  /** The last reading's round trip: one falling fast is a queue emptying, not filling. */
  lastRttMs: number | null;
  /** Per step: when it may be tried again after it failed soon after a move up. */
  retryAt: Partial<Record<QualityStep, number>>;
  /** Per step: how long it waits after its next failure (doubles up to a cap, so a bad link is not probed all the time). */
  backoffMs: Partial<Record<QualityStep, number>>;
  /** Until when the browser's estimate is still climbing from where it starts on a new pair (ms). */
  rampUntil: number;
};

export const LADDER_TIMING = {
  /** Consecutive bad samples before stepping down: one is a blip. */
  downAfter: 2,
  /** Consecutive good samples before stepping up: slower than down, so the ladder does not flap. */
  upAfter: 6,
  /** Below this long after a move up, a step down means the move failed: back off before trying again. */
  failWithinMs: 8000,
  /** First wait before trying a step again that failed (doubles to `maxBackoffMs`). */
  backoffMs: 8000,
  maxBackoffMs: 16_000,
  /** With nothing to measure it by (voice only: the estimate follows what is sent), try the lowest video step after this long. */
  probeAudioAfterMs: 8000,
  /** On a video step, try the next one up after this long (when the estimate shows headroom). */
  probeVideoAfterMs: 12_000,
  /** Clean seconds in a row before a try. */
  probeAfterGood: 3,
  /** An estimate this many times what the step needs is headroom worth a try. */
  headroom: 1.5,
  /**
   * An estimate this many times what the sender sends is not a reading of the link. The estimate
   * only grows while the sender fills it (Chromium holds it at about 1.5× what gets through plus
   * 10 kbit/s), so a still scene or a starved encoder on a fast link is estimated low; a thin link
   * pulls the estimate down to what gets through (0.85× after an overuse) or below.
   */
  unfilled: 1.2,
  /**
   * A video step that failed waits longer than the lowest one: the lowest is the way back from
   * voice only (the call must get its picture back soon), a better picture can wait.
   */
  videoBackoffMs: 16_000,
  maxVideoBackoffMs: 64_000,
  lossBad: 0.08,
  lossGood: 0.02,
  /** Round trip this far above the best seen: the link's queue is filling. */
  queueMs: 350,
  /**
   * After a move down, loss and queueing are the old step's, still draining from the link's
   * queue (a 400 ms queue full of HD is lost or late for a moment): not held against the new step.
   */
  drainMs: 3000,
  /**
   * Past those 3 s, a round trip this much shorter than the last reading's is that queue still
   * emptying (a thin link takes seconds to send a second of HD): the loss reported with it is the
   * old step's too.
   */
  emptyingMs: 100,
  /**
   * A new pair's estimate starts at Chromium's start rate and climbs from there for several
   * seconds (faster or slower with how steady the link's delay is). Until it has, an estimate at or
   * above where it started is the climb, not a reading of the link: no reason to leave the step.
   * A thin link pulls it under its start within a second or two; loss and queueing count at once.
   */
  rampMs: 15_000,
  startKbps: 300,
} as const;

export function initialLadder(now: number, step: QualityStep = QualityStep.high): LadderState {
  return {
    step,
    bad: 0,
    good: 0,
    changedAt: now,
    lastMove: null,
    baseRttMs: null,
    lastRttMs: null,
    retryAt: {},
    backoffMs: {},
    rampUntil: now + LADDER_TIMING.rampMs,
  };
}

/** A pair's video has just started: its estimate climbs from the browser's start rate again. */
export function rampFrom(state: LadderState, now: number): LadderState {
  return { ...state, rampUntil: now + LADDER_TIMING.rampMs };
}

function below(step: QualityStep): QualityStep {
  return LADDER[Math.min(LADDER.length - 1, LADDER.indexOf(step) + 1)]!;
}
function above(step: QualityStep): QualityStep {
  return LADDER[Math.max(0, LADDER.indexOf(step) - 1)]!;
}

/** The best step the estimate says fits, or null without an estimate. */
function fitting(availableKbps: number | null): QualityStep | null {
  if (availableKbps === null) return null;
  return LADDER.find((s) => STEPS[s].needsKbps <= availableKbps) ?? QualityStep.audio;
}

function congested(sample: LinkSample, baseRttMs: number | null): boolean {
  if (sample.loss !== null && sample.loss >= LADDER_TIMING.lossBad) return true;
  return sample.rttMs !== null && baseRttMs !== null && sample.rttMs - baseRttMs >= LADDER_TIMING.queueMs;
}

export function nextLadder(state: LadderState, sample: LinkSample, now: number): LadderState {
  const baseRttMs = sample.rttMs === null ? state.baseRttMs : Math.min(state.baseRttMs ?? Infinity, sample.rttMs);
  const s: LadderState = { ...state, baseRttMs, lastRttMs: sample.rttMs ?? state.lastRttMs };
  const emptying = sample.rttMs !== null && state.lastRttMs !== null && sample.rttMs <= state.lastRttMs - LADDER_TIMING.emptyingMs;
  const fit = fitting(sample.availableKbps);
  const draining = s.lastMove === 'down' && (now - s.changedAt < LADDER_TIMING.drainMs || emptying);
  const busy = !draining && congested(sample, state.baseRttMs);

  // Down: the estimate says this step no longer fits, or the link shows it (loss, a filling queue).
  // A low estimate the sender does not fill says how little it sends, not how thin the link is.
  const unfilled =
    sample.availableKbps !== null &&
    typeof sample.sentKbps === 'number' &&
    sample.availableKbps >= sample.sentKbps * LADDER_TIMING.unfilled;
  const climbing = now < s.rampUntil && sample.availableKbps !== null && sample.availableKbps >= LADDER_TIMING.startKbps;
  const lower = fit !== null && LADDER.indexOf(fit) > LADDER.indexOf(s.step) && !unfilled && !climbing;
  const tooMuch = s.step !== QualityStep.audio && (busy || lower);
  if (tooMuch) {
    const bad = s.bad + 1;
    if (bad < LADDER_TIMING.downAfter) return { ...s, bad, good: 0 };
    // Straight to where the estimate says it fits (a sudden drop is not walked down step by step);
    // congestion without a lower estimate goes one step.
    const target = lower ? fit : below(s.step);
    return moved(s, target, now, now - s.changedAt < LADDER_TIMING.failWithinMs ? s.step : null);
  }

  // Up: the next step fits by the estimate; or it is time to try it. The estimate follows what is
  // sent (a sender that uses little is estimated little), so below the top it cannot show that
  // more would fit: in voice only nothing is sent to measure by at all, and on a video step the
  // estimate shows headroom at best. A step is tried after a while on a clean link.
  if (s.step === QualityStep.high) return { ...s, bad: 0, good: 0 };
  const next = above(s.step);
  const clean = !busy && (sample.loss === null || sample.loss <= LADDER_TIMING.lossGood);
  if (!clean) return { ...s, bad: 0, good: 0 };
  const good = s.good + 1;
  if (now < (s.retryAt[next] ?? 0)) return { ...s, bad: 0, good };
  const fits = fit !== null && LADDER.indexOf(fit) <= LADDER.indexOf(next);
  const audio = s.step === QualityStep.audio;
  const headroom = sample.availableKbps === null || sample.availableKbps >= STEPS[s.step].needsKbps * LADDER_TIMING.headroom;
  const tryAfter = audio ? LADDER_TIMING.probeAudioAfterMs : LADDER_TIMING.probeVideoAfterMs;
  const due = now - s.changedAt >= tryAfter && headroom && good >= LADDER_TIMING.probeAfterGood;
  if ((fits && good >= LADDER_TIMING.upAfter) || due) return moved(s, next, now, null);
  return { ...s, bad: 0, good };
}

/** A move; `failed` is the step that had to be left soon after it was reached (it waits longer next time). */
function moved(s: LadderState, step: QualityStep, now: number, failed: QualityStep | null): LadderState {
  const retryAt = { ...s.retryAt };
  const backoffMs = { ...s.backoffMs };
  if (failed) {
    const lowest = failed === QualityStep.low;
    const wait = backoffMs[failed] ?? (lowest ? LADDER_TIMING.backoffMs : LADDER_TIMING.videoBackoffMs);
    retryAt[failed] = now + wait;
    backoffMs[failed] = Math.min(lowest ? LADDER_TIMING.maxBackoffMs : LADDER_TIMING.maxVideoBackoffMs, wait * 2);
  }
  const lastMove = LADDER.indexOf(step) > LADDER.indexOf(s.step) ? 'down' : 'up';
  return { ...s, step, bad: 0, good: 0, changedAt: now, lastMove, retryAt, backoffMs };
}
