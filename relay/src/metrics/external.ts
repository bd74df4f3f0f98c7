/** How a call to Zendesk or Twilio ended, as metrics label it. */
export const CallOutcome = {
  ok: 'ok',
  /** 4xx other than 429: this request was refused (often expected, e.g. a room not found). */
  clientError: 'client_error',
  rateLimited: 'rate_limited',
  serverError: 'server_error',
  /** No answer: connection refused or reset, DNS, timeout. */
  network: 'network',
} as const;
export type CallOutcome = (typeof CallOutcome)[keyof typeof CallOutcome];

/** Where one outside service's calls are counted and timed (a histogram and an error counter). */
export interface ExternalCalls {
  observe(seconds: number, outcome: CallOutcome): void;
}

export function outcomeOf(status: number): CallOutcome {
  if (status < 400) return CallOutcome.ok;
  if (status === 429) return CallOutcome.rateLimited;
  return status < 500 ? CallOutcome.clientError : CallOutcome.serverError;
}

/** Times `work` (to the response's headers) and records how it ended. */
export async function timed<T>(calls: ExternalCalls, work: () => Promise<T>, statusOf: (result: T) => number): Promise<T> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let result: T;
  try {
    result = await work();
  } catch (error) {
    calls.observe(seconds(), CallOutcome.network);
    throw error;
  }
  calls.observe(seconds(), outcomeOf(statusOf(result)));
  return result;
}

/** A `fetch` that records every request it makes (each retry is a request of its own). */
export function timedFetch(calls: ExternalCalls, inner: typeof fetch = fetch): typeof fetch {
  return (input, init) =>
    timed(
      calls,
      () => inner(input, init),
      (res) => res.status,
    );
}
