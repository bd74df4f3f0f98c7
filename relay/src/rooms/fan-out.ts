import { AsyncLocalStorage } from 'node:async_hooks';

/** The client frame a room is handling: what it causes for other sockets is timed from its arrival. */
interface Cause {
  arrivedAt: number;
  /** The sender; what goes back to it (errors, pongs) is not fan-out. */
  from: unknown;
  /** Handlers still running for it; a timer a handler left behind fires later and is not fan-out. */
  open: number;
}

// Carried through a feature's awaits (chat stores a message before it forwards it), so the time
// includes them.
const causes = new AsyncLocalStorage<Cause>();

export function whileHandling<T>(from: unknown, fn: () => T): T {
  const cause: Cause = { arrivedAt: performance.now(), from, open: 1 };
  try {
    return causes.run(cause, fn);
  } finally {
    cause.open -= 1;
  }
}

/** A feature's asynchronous handling of the current frame: its sends count until it settles. */
export function handlingUntil(work: Promise<unknown>): void {
  const cause = causes.getStore();
  if (!cause) return;
  cause.open += 1;
  const settled = () => {
    cause.open -= 1;
  };
  work.then(settled, settled);
}

/** Milliseconds since the frame being handled arrived, when sending to `to` is fan-out; else null. */
export function fanOutDelayMs(to: unknown): number | null {
  const cause = causes.getStore();
  return cause && cause.open > 0 && cause.from !== to ? performance.now() - cause.arrivedAt : null;
}
