import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { loggablePath, saneRequestId, withLogContext, type LogContext } from '../log/index.js';
import type { Logger } from '../logger.js';

/** The routes that name a session (`/api/sessions/:sessionId/…`). */
const SESSION_PATH = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})(?:\/|$)/;

/** Each load balancer asks these every few seconds: a line each would drown the rest. */
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Gives every request an id (the proxy's `X-Request-Id` when it is a plain id, else a fresh one),
 * echoes it in the response, runs the request in a log context with that id and the session id,
 * and writes one line when the response is done.
 */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = saneRequestId(req.headers['x-request-id']) ?? randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const sessionId = SESSION_PATH.exec(req.path)?.[1];
    const context: LogContext = { requestId, ...(sessionId ? { sessionId } : {}) };
    // Body parsers continue from the request stream's events, which run in the connection's
    // async context, not this one; emitting within the context keeps the ids on their lines.
    const emit = req.emit.bind(req);
    req.emit = ((event: string | symbol, ...args: unknown[]) => withLogContext(context, () => emit(event, ...args))) as typeof req.emit;
    if (!UNLOGGED.has(req.path)) {
      const started = performance.now();
      res.once('close', () => {
        withLogContext(context, () =>
          log.info('http request', {
            method: req.method,
            path: loggablePath(req.originalUrl),
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
            ...(res.writableFinished ? {} : { aborted: true }),
          }),
        );
      });
    }
    withLogContext(context, next);
  };
}
