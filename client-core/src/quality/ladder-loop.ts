import type { QualityStep } from '@live-assist/protocol';
import { transceiverOf } from '../p2p-pc.js';
import { applyStep } from './apply-step.js';
import { initialLadder, nextLadder, rampFrom, type LadderState } from './ladder.js';
import { sampleLink, type SentCount } from './link-stats.js';

export type LadderLoopDeps = {
  /** The peer connection now carrying this side's media (it changes on a renegotiation with a new page). */
  pc(): RTCPeerConnection | null;
  /** The step changed (already applied to the senders). */
  onStep(step: QualityStep): void;
  intervalMs?: number;
  now?: () => number;
  sample?: typeof sampleLink;
  apply?: typeof applyStep;
  logger?: Pick<Console, 'warn'>;
};

/**
 * Runs the quality ladder on one side of a P2P call: reads the link once a second while the peer
 * connection is up, moves along the ladder, and applies each step to the senders — also to a new
 * peer connection, which starts from the step the link was last found at, not from HD again.
 */
export class LadderLoop {
  private state: LadderState;
  private timer: ReturnType<typeof setInterval> | null = null;
  private appliedTo: RTCPeerConnection | null = null;
  /** Whether `appliedTo` has the step's own video size, not the first frames' smaller one. */
  private full = false;
  /** The last reading's send count, of `appliedTo`. */
  private sent: SentCount | null = null;
  private busy = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: LadderLoopDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.state = initialLadder(this.now());
  }

  get step(): QualityStep {
    return this.state.step;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * A pair whose video has not started yet (about to get its camera, or just negotiated): its
   * encoder starts small, and the next reading after frames flow sets the step's own size.
   */
  async prime(pc: RTCPeerConnection): Promise<void> {
    if (this.stopped) return;
    this.appliedTo = pc;
    this.full = false;
    this.sent = null;
    try {
      await this.applyTo(pc, this.state.step, { firstFrames: true });
    } catch (err) {
      // Only the first frame comes later; the call goes on.
      (this.deps.logger ?? console).warn('[quality] could not set the first frames', err);
    }
  }

  /** Whether `pc` has had a step applied (primed, or read since). */
  primed(pc: RTCPeerConnection): boolean {
    return this.appliedTo === pc;
  }

  /** One reading and decision; exposed for tests, which drive time themselves. */
  async tick(): Promise<void> {
    const pc = this.deps.pc();
    if (this.busy || !pc || pc.connectionState !== 'connected') return;
    this.busy = true;
    try {
      if (pc !== this.appliedTo) this.sent = null;
      const sample = await (this.deps.sample ?? sampleLink)(pc, this.sent);
      this.sent = sample.sent ?? null;
      const started = sample.videoStarted ?? true;
      if (pc !== this.appliedTo || (!this.full && started)) {
        await this.applyTo(pc, this.state.step, { firstFrames: !started });
        this.appliedTo = pc;
        this.full = started;
        if (started) this.state = rampFrom(this.state, this.now());
      }
      const next = nextLadder(this.state, sample, this.now());
      const moved = next.step !== this.state.step;
      this.state = next;
      if (moved && !this.stopped) {
        await this.applyTo(pc, next.step, { firstFrames: !this.full });
        this.deps.onStep(next.step);
      }
    } catch (err) {
      (this.deps.logger ?? console).warn('[quality] could not read or set the link', err);
    } finally {
      this.busy = false;
    }
  }

  private applyTo(pc: RTCPeerConnection, step: QualityStep, options: { firstFrames: boolean }): Promise<void> {
    return (this.deps.apply ?? applyStep)(
      { video: transceiverOf(pc, 'video')?.sender ?? null, audio: transceiverOf(pc, 'audio')?.sender ?? null },
      step,
      options,
    );
  }
}
