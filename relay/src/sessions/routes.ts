import express, { Router, type Request, type Response } from 'express';
import { CreateSessionRequestSchema, JoinRequestSchema, TicketIdSchema } from '@live-assist/protocol';
import type { AgentSessionRecord, SessionRecord } from '../db/repository.js';
import type { SessionService } from './service.js';
import { ApiFailure } from '../http/errors.js';
import { agentOf, requireAgent } from '../http/agent-auth.js';
import { parseBody } from '../http/api-errors.js';
import { clientOf, refuseGuessers, type GuessLimiter } from '../http/guess-limit.js';

const JSON_LIMIT = '32kb';

/**
 * The relay JSON API of docs/contract.md. No catch-all here: the sandbox shares `/api/v2`.
 * `guesses` counts the invite links that do not exist, per client (shared with the join page).
 */
export function apiRoutes(sessions: SessionService, guesses: GuessLimiter): Router {
  const router = Router();
  const json = express.json({ limit: JSON_LIMIT });
  const agent = requireAgent(sessions);
  const guarded = refuseGuessers(guesses);
  /** An invite lookup; naming a link that does not exist counts against the client. */
  const lookup = async <T>(req: express.Request, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiFailure && error.code === 'invite-not-found') guesses.miss(clientOf(req));
      throw error;
    }
  };

  router.use('/api', (_req, res, next) => {
    // Tokens travel in these responses; nothing here may be cached.
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.post('/api/sessions', agent, json, async (req, res) => {
    const me = agentOf(res);
    const { ticketId } = parseBody(CreateSessionRequestSchema, req.body);
    const session = await sessions.createSession(me, ticketId);
    res.status(201).json(await sessions.view(me, session));
  });

  router.get('/api/tickets/:ticketId/session', agent, async (req, res) => {
    const me = agentOf(res);
    const ticketId = TicketIdSchema.safeParse(String(req.params.ticketId));
    if (!ticketId.success) throw new ApiFailure(400, 'bad-request', 'ticketId must be a positive integer.');
    const session = await sessions.latestForTicket(me, ticketId.data);
    res.json(await sessions.view(me, session));
  });

  /** An agent's action on a session: found (and its account and ticket access checked) first. */
  const onSession =
    (act: (me: AgentSessionRecord, session: SessionRecord) => Promise<unknown>) =>
    async (req: Request, res: Response): Promise<void> => {
      const me = agentOf(res);
      res.json(await act(me, await sessions.findForAgent(me, String(req.params.sessionId))));
    };

  router.get(
    '/api/sessions/:sessionId',
    agent,
    onSession((me, session) => sessions.view(me, session)),
  );
  router.post(
    '/api/sessions/:sessionId/takeover',
    agent,
    onSession(async (me, session) => sessions.view(me, await sessions.takeOver(me, session))),
  );
  // Watching is an explicit action too: the token is minted here only, never by a GET.
  router.post(
    '/api/sessions/:sessionId/observe',
    agent,
    onSession((me, session) => sessions.observe(me, session)),
  );
  router.post(
    '/api/sessions/:sessionId/end',
    agent,
    onSession(async (me, session) => sessions.view(me, await sessions.endSession(me, session))),
  );

  router.get('/api/invites/:inviteToken', guarded, async (req, res) => {
    res.json(await lookup(req, () => sessions.openInvite(String(req.params.inviteToken))));
  });

  router.post('/api/invites/:inviteToken/join', guarded, json, async (req, res) => {
    const body = parseBody(JoinRequestSchema, req.body);
    res.json(await lookup(req, () => sessions.join(String(req.params.inviteToken), body, req.get('user-agent') ?? null)));
  });

  router.post('/api/invites/:inviteToken/end', guarded, async (req, res) => {
    const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw new ApiFailure(401, 'unauthorized', 'Send the participant token as a Bearer token.');
    await lookup(req, () => sessions.endByCustomer(String(req.params.inviteToken), bearer));
    res.status(204).end();
  });

  return router;
}
