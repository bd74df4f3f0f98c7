import { Router } from 'express';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

/** Something this relay cannot serve sessions without. */
export interface ReadinessCheck {
  readonly name: string;
  /** Settles when the dependency answered; a rejection (or no answer in time) means not ready. */
  check(): Promise<unknown>;
}

export interface Readiness {
  /** True from SIGTERM on: the load balancer should send new clients elsewhere. */
  draining(): boolean;
  checks: readonly ReadinessCheck[];
  /** A dependency slower than this counts as down (a hung pool must not hang the probe). Default 2 s. */
  timeoutMs?: number;
}

export function databaseCheck(database: Database): ReadinessCheck {
  return { name: 'database', check: () => sql`SELECT 1`.execute(database.kysely) };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * `GET /readyz`: 200 when every dependency answers and the relay is not draining, else 503 naming
 * what failed (`/healthz` stays liveness only: a relay whose database is away needs no restart).
 */
export function readinessRouter(readiness: Readiness, log: Logger): Router {
  const router = Router();
  const timeoutMs = readiness.timeoutMs ?? 2_000;
  // Probes repeat every few seconds; a line when the answer changes says all there is.
  let lastFailed = '';
  router.get('/readyz', async (_req, res) => {
    if (readiness.draining()) {
      res.status(503).json({ ok: false, draining: true });
      return;
    }
    const results = await Promise.allSettled(
      readiness.checks.map((c) =>
        within(
          Promise.resolve().then(() => c.check()),
          timeoutMs,
        ),
      ),
    );
    const failed = readiness.checks.filter((_, i) => results[i]?.status === 'rejected').map((c) => c.name);
    const summary = failed.join(',');
    if (summary !== lastFailed) {
      const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (failed.length > 0) log.warn(`not ready: ${summary}`, ...reasons);
      else log.info('ready again');
      lastFailed = summary;
    }
    if (failed.length > 0) res.status(503).json({ ok: false, failed });
    else res.json({ ok: true });
  });
  return router;
}
