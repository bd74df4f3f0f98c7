import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';

/**
 * A switch a test (or the sandbox operator) turns to see the relay meet a Freshdesk account over
 * its per-minute API limit: the next `requests` calls answer 429 with this Retry-After.
 */
export interface FdStrictness {
  rateLimit: { remaining: number; retryAfterSeconds: number };
}

export const newFdStrictness = (): FdStrictness => ({ rateLimit: { remaining: 0, retryAfterSeconds: 1 } });

export const fdStrictnessUpdate = z
  .object({
    rateLimit: z
      .object({ requests: z.number().int().min(0).max(1000), retryAfterSeconds: z.number().int().min(1).max(3600) })
      .strict()
      .optional(),
  })
  .strict();

export function applyFdStrictness(s: FdStrictness, update: z.infer<typeof fdStrictnessUpdate>): void {
  if (update.rateLimit) s.rateLimit = { remaining: update.rateLimit.requests, retryAfterSeconds: update.rateLimit.retryAfterSeconds };
}

const view = (s: FdStrictness) => ({ rateLimit: { requests: s.rateLimit.remaining, retryAfterSeconds: s.rateLimit.retryAfterSeconds } });

/** Freshdesk over the account's per-minute limit: 429, how long to wait, and the rate headers at zero. */
export function rateLimited(s: FdStrictness) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (s.rateLimit.remaining <= 0) return next();
    s.rateLimit.remaining -= 1;
    res
      .status(429)
      .set({ 'Retry-After': String(s.rateLimit.retryAfterSeconds), 'X-RateLimit-Remaining': '0' })
      .json({ code: 'rate_limit_exceeded', message: 'You have exceeded the limit of requests per minute' });
  };
}

/** GET/PUT /sandbox/freshdesk/api/strictness. */
export function fdStrictnessRoutes(s: FdStrictness): Router {
  const r = express.Router();
  r.get('/', (_req, res) => {
    res.json(view(s));
  });
  r.put('/', express.json({ limit: '16kb' }), (req, res) => {
    const body = fdStrictnessUpdate.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({
        description: 'Validation failed',
        errors: [{ field: 'rateLimit', message: z.prettifyError(body.error), code: 'invalid_value' }],
      });
      return;
    }
    applyFdStrictness(s, body.data);
    res.json(view(s));
  });
  return r;
}
