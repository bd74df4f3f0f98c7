/** Retry timing: Retry-After parsing and exponential backoff with jitter. */

/**
 * Milliseconds to wait according to a Retry-After header (delta-seconds or HTTP-date),
 * or null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^\d+\.\d+$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return null;
  return Math.max(0, at - now);
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000 };

/**
 * Delay before retry number `failures` (1-based): base·2^(failures-1), capped, with "equal
 * jitter" (half fixed, half random) so many relays recovering together do not retry in step,
 * yet every wait is at least half the nominal one.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const half = nominal / 2;
  return Math.round(half + random() * half);
}
