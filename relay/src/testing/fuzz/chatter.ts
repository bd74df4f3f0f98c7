import type { FuzzSocket } from './socket.js';

let sent = 0;

/** Sends a chat message from one side and waits until the other side has it, as stored. */
export async function chatBetween(from: FuzzSocket, to: FuzzSocket, text: string): Promise<void> {
  sent += 1;
  const clientId = `fuzz-check-${sent}-${Date.now()}`;
  from.sendText(JSON.stringify({ type: 'chat-send', clientId, text }));
  await to.until(`chat message ${clientId}`, () =>
    to.frames.some((f) => f.type === 'chat-message' && f.message.clientId === clientId && f.message.text === text) ? true : null,
  );
}

/** Pause between two round trips: a steady conversation, not a flood that would hit the chat quota. */
const PACE_MS = 100;

/**
 * An untouched session chatting both ways while another session is fuzzed: each round trip must
 * arrive; the first one that does not is the failure `stop()` reports.
 */
export class Chatter {
  rounds = 0;
  slowestMs = 0;
  private failure: Error | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly customer: FuzzSocket,
    private readonly specialist: FuzzSocket,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = performance.now();
      try {
        await chatBetween(this.customer, this.specialist, `B ${this.rounds}: Grüße 👋`);
        await chatBetween(this.specialist, this.customer, `B ${this.rounds}: здравейте`);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      this.slowestMs = Math.max(this.slowestMs, performance.now() - started);
      this.rounds += 1;
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  }

  /** The round trip that did not arrive, if one did not. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Ends the conversation; throws the first round trip that failed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.failure) throw this.failure;
  }
}
