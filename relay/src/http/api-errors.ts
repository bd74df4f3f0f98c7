import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { ApiError } from '@live-assist/protocol';
import { ApiFailure } from './errors.js';
import { HelpdeskUnavailableError } from '../helpdesk/types.js';
import type { Logger } from '../logger.js';
import { messagePage } from './pages.js';

export function sendApiError(res: Response, status: number, code: string, message: string): void {
  const body: ApiError = { error: { code, message } };
  res.status(status).json(body);
}

/** Parses a request body with a protocol schema or answers 400 with the first problems. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new ApiFailure(400, 'bad-request', detail);
  }
  return parsed.data;
}

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
}

function httpStatusOf(err: unknown): number {
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  if (typeof e.status === 'number') return e.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return 500;
}

/** JSON errors for API routes (a plain page elsewhere); malformed or oversized bodies are the client's fault, not a 500. */
export function apiErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (!req.path.startsWith('/api/')) {
      const status = httpStatusOf(err);
      if (status >= 400 && status < 500) {
        res.status(status).type('html').send(messagePage('Request not accepted', 'This request could not be processed.'));
        return;
      }
      log.error('unhandled error', err);
      res.status(500).type('html').send(messagePage('Something went wrong', 'Something went wrong on our side. Please try again.'));
      return;
    }
    if (err instanceof ApiFailure) {
      sendApiError(res, err.status, err.code, err.message);
      return;
    }
    if (err instanceof HelpdeskUnavailableError) {
      log.warn(`helpdesk unavailable: ${err.message}`);
      sendApiError(res, 502, 'helpdesk-unavailable', 'The helpdesk could not be reached. Try again shortly.');
      return;
    }
    const e = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
    const status = httpStatusOf(err);
    if (e.type === 'entity.parse.failed') {
      sendApiError(res, 400, 'bad-json', 'The request body is not valid JSON.');
      return;
    }
    if (e.type === 'entity.too.large') {
      sendApiError(res, 413, 'too-large', 'The request body is too large.');
      return;
    }
    if (status >= 400 && status < 500) {
      sendApiError(res, status, 'bad-request', 'The request could not be processed.');
      return;
    }
    log.error('unhandled error', err);
    sendApiError(res, 500, 'internal', 'Something went wrong on our side.');
  };
}
