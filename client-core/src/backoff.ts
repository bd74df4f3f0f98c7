/** Reconnect delays: exponential, capped, with jitter so a relay restart is not hit by every client at once. */
export type BackoffOptions = {
  baseMs: number;
  maxMs: number;
  /** 0..1: share of the delay that is randomised. */
  jitter: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 10_000, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (0-based); `random` is injectable for tests. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponential = options.baseMs * 2 ** Math.min(attempt, 20);
  const capped = Math.min(options.maxMs, exponential);
  const jitter = capped * options.jitter * random();
  return Math.round(capped - jitter);
}
