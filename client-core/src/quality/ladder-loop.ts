import type { QualityStep } from '@live-assist/protocol';
import { transceiverOf } from '../p2p-pc.js';
import { applyStep } from './apply-step.js';
import { initialLadder, nextLadder, type LadderState } from './ladder.js';
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

  /** One reading and decision; exposed for tests, which drive time themselves. */
  async tick(): Promise<void> {
    const pc = this.deps.pc();
    if (this.busy || !pc || pc.connectionState !== 'connected') return;
    this.busy = true;
    try {
      if (pc !== this.appliedTo) {
        await this.applyTo(pc, this.state.step);
        this.appliedTo = pc;
        this.sent = null;
      }
      const sample = await (this.deps.sample ?? sampleLink)(pc, this.sent);
      this.sent = sample.sent ?? null;
      const next = nextLadder(this.state, sample, this.now());
      const moved = next.step !== this.state.step;
      this.state = next;
      if (moved && !this.stopped) {
        await this.applyTo(pc, next.step);
        this.deps.onStep(next.step);
      }
    } catch (err) {
      (this.deps.logger ?? console).warn('[quality] could not read or set the link', err);
    } finally {
      this.busy = false;
    }
  }

  private applyTo(pc: RTCPeerConnection, step: QualityStep): Promise<void> {
    return (this.deps.apply ?? applyStep)(
      { video: transceiverOf(pc, 'video')?.sender ?? null, audio: transceiverOf(pc, 'audio')?.sender ?? null },
      step,
    );
  }
}
