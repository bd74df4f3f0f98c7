import { parseRetryAfter } from './retry.js';
import { HelpdeskWriteError, WriteFailure, type WriteOptions } from './types.js';

export interface WriteRequestContext {
  fetch: typeof fetch;
  authorization: string;
  timeoutMs: number;
}

/**
 * One request of a note writer, cut off after `timeoutMs` or by the caller's signal: no answer is
 * `Unavailable` (retried; the writer looks for its note before writing again). The answer, ok or
 * not, is the caller's to read: each helpdesk words its errors differently.
 */
export async function sendWriteRequest(
  ctx: WriteRequestContext,
  what: string,
  url: string,
  init: RequestInit,
  options: WriteOptions,
): Promise<Response> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await ctx.fetch(url, {
      ...init,
      headers: { Authorization: ctx.authorization, Accept: 'application/json', ...init.headers },
      signal,
    });
  } catch (cause) {
    const reason = timeout.aborted ? `timed out after ${ctx.timeoutMs} ms` : `failed (${describe(cause)})`;
    throw new HelpdeskWriteError(`${what} ${reason}`, WriteFailure.Unavailable, { cause });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : cause.message;
  }
  return String(cause);
}

/**
 * The error for an answer that is not ok, worded by the caller: 429 waits for Retry-After; 5xx,
 * 408 and 409 (a concurrent update of the ticket) are retried; anything else is refused for good.
 */
export function writeFailureOf(res: Response, message: string, now: number): HelpdeskWriteError {
  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now);
    return new HelpdeskWriteError(message, WriteFailure.RateLimited, { status: res.status, retryAfterMs });
  }
  if (res.status >= 500 || res.status === 408 || res.status === 409) {
    return new HelpdeskWriteError(message, WriteFailure.Unavailable, { status: res.status });
  }
  return new HelpdeskWriteError(message, WriteFailure.Rejected, { status: res.status });
}
