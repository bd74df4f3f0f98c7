import type { RequestHandler, Response } from 'express';
import type { AgentSessionRecord } from '../db/repository.js';
import type { SessionService } from '../sessions/service.js';
import { sendApiError } from './api-errors.js';

const AGENT = 'liveAssistAgent';

/** Requires `Authorization: Bearer <agentToken>` from a signed-URL app load. */
export function requireAgent(sessions: SessionService): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.get('authorization') ?? '');
    const agent = match?.[1] ? await sessions.authenticateAgent(match[1]) : null;
    if (!agent) {
      res.set('WWW-Authenticate', 'Bearer');
      sendApiError(res, 401, 'unauthorized', 'Open the app from the helpdesk to sign in again.');
      return;
    }
    res.locals[AGENT] = agent;
    next();
  };
}

export function agentOf(res: Response): AgentSessionRecord {
  const agent = res.locals[AGENT] as AgentSessionRecord | undefined;
  if (!agent) throw new Error('agentOf() used on a route without requireAgent()');
  return agent;
}
