/** Bounded retries for Twilio REST calls: 5xx, 429 and network failures only; 4xx are answers. */

export type RetryOptions = {
  /** Total tries including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
};

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 250, maxDelayMs: 4_000 };

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null && name in err ? (err as Record<string, unknown>)[name] : undefined;
}

/** HTTP status of a twilio `RestException` (or undefined for transport errors). */
export function restStatus(err: unknown): number | undefined {
  const status = field(err, 'status');
  return typeof status === 'number' ? status : undefined;
}

/** Twilio error code (e.g. 53113) of a `RestException`. */
export function restCode(err: unknown): number | undefined {
  const code = field(err, 'code');
  return typeof code === 'number' ? code : undefined;
}

export function isRetryable(err: unknown): boolean {
  const status = restStatus(err);
  if (status !== undefined) return status >= 500 || status === 429;
  const code = field(err, 'code');
  // axios: a request that never got a response.
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return field(err, 'isAxiosError') === true && field(err, 'response') === undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (attempt >= options.attempts || !isRetryable(err)) throw err;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      // Half fixed, half random: spreads retries from many sessions after a Twilio hiccup.
      const jittered = Math.round(delay / 2 + (Math.random() * delay) / 2);
      onRetry?.(err, attempt, jittered);
      await sleep(jittered);
    }
  }
}
