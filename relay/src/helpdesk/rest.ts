import { parseRetryAfter } from '../writeback/retry.js';
import { HelpdeskUnavailableError } from './types.js';

export interface RestOptions {
  fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Attempts per call, counting the first. Default 3. */
  attempts?: number;
  /** Longest Retry-After this caller will sit through; a longer one gives up. Default 20 s. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One helpdesk REST call (JSON, Zendesk's and Freshdesk's alike) with their common retry rules:
 * a 429 waits for its Retry-After, a 5xx or a failed read is tried again after a short pause.
 * Anything else is the caller's answer.
 */
export class HelpdeskRest {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly attempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly baseUrl: string,
    private readonly authorization: () => string,
    opts: RestOptions = {},
  ) {
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? sleepFor;
    this.now = opts.now ?? Date.now;
    this.attempts = Math.max(1, opts.attempts ?? 3);
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 20_000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async call(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<Response> {
    const what = `${method} ${path.split('?')[0]}`;
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.attempts;
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method,
          headers: {
            Authorization: this.authorization(),
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        if (last || method !== 'GET') throw new HelpdeskUnavailableError(`helpdesk request failed: ${what}`, { cause });
        await this.sleep(250 * 2 ** (attempt - 1));
        continue;
      }
      if (res.status === 429) {
        const wait = parseRetryAfter(res.headers.get('retry-after'), this.now()) ?? 1_000;
        await res.body?.cancel();
        if (last || wait > this.maxRetryAfterMs) {
          throw new HelpdeskUnavailableError(`helpdesk rate-limited ${what} (Retry-After ${Math.round(wait / 1000)} s)`);
        }
        await this.sleep(wait);
        continue;
      }
      // A read is always safe to repeat; a write only when the helpdesk said it did not take it (503),
      // since a 500 after a comment was stored would post the customer the invite twice.
      if (!last && ((res.status >= 500 && method === 'GET') || res.status === 503)) {
        await res.body?.cancel();
        await this.sleep(250 * 2 ** (attempt - 1));
        continue;
      }
      return res;
    }
  }
}
