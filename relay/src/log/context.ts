import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written on behalf of one request, socket or outbox operation carries. */
export interface LogContext {
  requestId?: string;
  sessionId?: string;
  /** The write-back operation being worked (`call-note:<sessionId>`). */
  opKey?: string;
}

// Carried through awaits, so call sites deep in services log with the request's ids without
// passing a child logger down every constructor.
const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current one (inner values win). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** Runs `fn` with exactly `context`: work that outlives the request that woke it (the outbox). */
export function withOwnLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...context }, fn);
}

export function logContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Header values are outside input: only short, plain ids are kept (the rest get a fresh one). */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function saneRequestId(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : null;
}
