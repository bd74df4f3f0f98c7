import express, { Router } from 'express';
import type { z } from 'zod';
import { APP_ACTIONS_PATH, AppSessionActionSchema, AppTicketActionSchema, type AppAction } from '@live-assist/protocol';
import { parseBody } from '../http/api-errors.js';

interface Forward {
  method: 'GET' | 'POST';
  /** The agent endpoint this action is, and the JSON body it takes (none: `{}`). */
  to: (body: Record<string, unknown>) => { path: string; body?: unknown };
}

const id = (value: unknown) => encodeURIComponent(String(value));

// Each one is the agent endpoint of docs/contract.md: same checks, same answer.
const FORWARDS: Record<AppAction, Forward & { schema: z.ZodType<{ agentToken: string }> }> = {
  session: { schema: AppTicketActionSchema, method: 'GET', to: (b) => ({ path: `/api/tickets/${id(b.ticketId)}/session` }) },
  start: { schema: AppTicketActionSchema, method: 'POST', to: (b) => ({ path: '/api/sessions', body: { ticketId: b.ticketId } }) },
  invite: { schema: AppSessionActionSchema, method: 'POST', to: (b) => ({ path: `/api/sessions/${id(b.sessionId)}/invite/requester` }) },
  end: { schema: AppSessionActionSchema, method: 'POST', to: (b) => ({ path: `/api/sessions/${id(b.sessionId)}/end` }) },
  note: { schema: AppSessionActionSchema, method: 'GET', to: (b) => ({ path: `/api/sessions/${id(b.sessionId)}/note` }) },
};

/**
 * The agent endpoints for an app that cannot set a per-call header (Freshdesk's request templates
 * add only the installation's own headers). The body's agent token becomes the `Authorization`
 * the endpoint expects, and the request continues to that endpoint: one implementation of every
 * check and answer. Mounted before the endpoints, in the same router chain. The token is never
 * logged: the request line names only the action, and `agentToken` is a redacted log field.
 */
export function appActionRoutes(): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });
  for (const [action, forward] of Object.entries(FORWARDS)) {
    router.post(`${APP_ACTIONS_PATH}/${action}`, json, (req, _res, next) => {
      const body: Record<string, unknown> = parseBody(forward.schema, req.body);
      const target = forward.to(body);
      req.headers.authorization = `Bearer ${String(body.agentToken)}`;
      req.method = forward.method;
      req.url = target.path;
      req.body = target.body ?? {};
      next();
    });
  }
  return router;
}
