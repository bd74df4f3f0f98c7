import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';

/**
 * Account rules a test can switch on to see the relay meet what a real Zendesk account does:
 * an admin's file-type restriction on uploads, and a burst of rate limiting.
 */
export interface Strictness {
  /** Lower-case file extensions uploads may not have (Admin Center's attachment file types). */
  refusedFileTypes: Set<string>;
  /** The next `remaining` API requests answer 429 with this Retry-After. */
  rateLimit: { remaining: number; retryAfterSeconds: number };
}

export function newStrictness(): Strictness {
  return { refusedFileTypes: new Set(), rateLimit: { remaining: 0, retryAfterSeconds: 1 } };
}

export const strictnessUpdate = z
  .object({
    refusedFileTypes: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/))
      .max(100)
      .optional(),
    rateLimit: z
      .object({ requests: z.number().int().min(0).max(1000), retryAfterSeconds: z.number().int().min(1).max(3600) })
      .strict()
      .optional(),
  })
  .strict();

export function applyStrictness(s: Strictness, update: z.infer<typeof strictnessUpdate>): void {
  if (update.refusedFileTypes) s.refusedFileTypes = new Set(update.refusedFileTypes.map((t) => t.toLowerCase()));
  if (update.rateLimit) s.rateLimit = { remaining: update.rateLimit.requests, retryAfterSeconds: update.rateLimit.retryAfterSeconds };
}

export function strictnessView(s: Strictness) {
  return {
    refusedFileTypes: [...s.refusedFileTypes],
    rateLimit: { requests: s.rateLimit.remaining, retryAfterSeconds: s.rateLimit.retryAfterSeconds },
  };
}

/** Zendesk's answer when the account's request budget is spent: 429 and how long to wait. */
export function rateLimiter(s: Strictness) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (s.rateLimit.remaining <= 0) return next();
    s.rateLimit.remaining -= 1;
    res
      .status(429)
      .set('Retry-After', String(s.rateLimit.retryAfterSeconds))
      .json({ error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' });
  };
}

/** Whether Admin Center's file-type rule refuses this upload's name. */
export function fileTypeRefused(s: Strictness, fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  return dot >= 0 && s.refusedFileTypes.has(fileName.slice(dot + 1).toLowerCase());
}

/** GET/PUT /sandbox/api/strictness: the switches, for tests and the sandbox operator. */
export function strictnessRoutes(s: Strictness): Router {
  const r = express.Router();
  r.get('/strictness', (_req, res) => {
    res.json(strictnessView(s));
  });
  r.put('/strictness', express.json({ limit: '16kb' }), (req, res) => {
    const body = strictnessUpdate.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'InvalidParameters', description: 'Invalid request', details: z.flattenError(body.error) });
      return;
    }
    applyStrictness(s, body.data);
    res.json(strictnessView(s));
  });
  return r;
}
