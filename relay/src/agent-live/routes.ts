import express, { Router } from 'express';
import { APP_ACTIONS_PATH, AppSessionActionSchema, type AppLiveToken } from '@live-assist/protocol';
import { parseBody, sendApiError } from '../http/api-errors.js';
import type { SessionService } from '../sessions/service.js';
import type { LiveTokens } from './token.js';

/** `POST /api/app/actions/live`: the live feed's token for one session the agent may see. */
export function agentLiveRoutes(deps: { sessions: SessionService; tokens: LiveTokens }): Router {
  const router = Router();
  router.post(`${APP_ACTIONS_PATH}/live`, express.json({ limit: '4kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = parseBody(AppSessionActionSchema, req.body);
    const agent = await deps.sessions.authenticateAgent(body.agentToken);
    if (!agent) {
      sendApiError(res, 401, 'unauthorized', 'Open the app from the helpdesk to sign in again.');
      return;
    }
    // The same account and ticket-access checks as every agent endpoint (404 / 403).
    const session = await deps.sessions.findForAgent(agent, body.sessionId);
    const { liveToken, expiresAt } = deps.tokens.mint(agent, session.id);
    const answer: AppLiveToken = { liveToken, expiresAt: new Date(expiresAt).toISOString() };
    res.json(answer);
  });
  return router;
}
