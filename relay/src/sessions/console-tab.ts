import express, { Router } from 'express';
import {
  APP_ACTIONS_PATH,
  AppSessionActionSchema,
  CONSOLE_TAB_OPEN_PATH,
  ConsoleTabOpenRequestSchema,
  SessionStatus,
  type AppConsoleLink,
  type ConsoleTabOpenResponse,
} from '@live-assist/protocol';
import type { AgentSessionRepository } from '../db/repository.js';
import { parseBody } from '../http/api-errors.js';
import { ApiFailure } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { AuditAction, AuditActorKind, type AuditDeps } from '../privacy/index.js';
import { hashToken, randomId, signClaims, verifyClaims } from '../tokens.js';
import type { SessionService } from './service.js';
import type { SpentAppTokenRepository } from './store.js';

/** Long enough to switch to the new tab; short enough that a copied link is of no use later. */
export const CONSOLE_LINK_TTL_MS = 2 * 60 * 1000;

/** The page the link opens (served by app-routes.ts); the code follows in the fragment. */
export const CONSOLE_TAB_PAGE = '/app/console';

const PURPOSE = 'console-tab';

/** A minute past expiry in the spent list, as for signed app loads: relays' clocks differ a little. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The console link's code: signed, naming the agent login that asked (by its token hash), the
 * session and the expiry, plus a nonce so two links asked for in the same millisecond differ.
 */
export class ConsoleLinks {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
  ) {}

  mint(agentTokenHash: string, sessionId: string): { code: string; expiresAt: number } {
    const expiresAt = this.now() + CONSOLE_LINK_TTL_MS;
    return { code: signClaims(this.secret, PURPOSE, { h: agentTokenHash, s: sessionId, e: expiresAt, n: randomId() }), expiresAt };
  }

  verify(code: string): { tokenHash: string; sessionId: string; expiresAt: number } | null {
    const { h, s, e } = verifyClaims(this.secret, PURPOSE, code) ?? {};
    if (typeof h !== 'string' || typeof s !== 'string' || typeof e !== 'number' || e <= this.now()) return null;
    return { tokenHash: h, sessionId: s, expiresAt: e };
  }
}

function linkRefused(): ApiFailure {
  return new ApiFailure(
    401,
    'link-expired',
    'This link to the specialist view has expired or was already used. Open it again from the ticket.',
  );
}

/**
 * The specialist console in a tab of its own, for a helpdesk whose app frames may not use the
 * camera (Freshdesk). The sidebar asks for a link (one template call); the tab trades the link's
 * code, once, for an agent login of its own with the same agent, and then is the console as the
 * Zendesk modal is. The code is spent in the shared database, so it opens one tab on one relay.
 */
export function consoleTabRoutes(deps: {
  sessions: SessionService;
  links: ConsoleLinks;
  spent: SpentAppTokenRepository;
  agentSessions: AgentSessionRepository;
  publicUrl: string;
  audit: AuditDeps | null;
  log: Logger;
  now: () => number;
}): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  router.post(`${APP_ACTIONS_PATH}/console`, json, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = parseBody(AppSessionActionSchema, req.body);
    const agent = await deps.sessions.authenticateAgent(body.agentToken);
    if (!agent) throw new ApiFailure(401, 'unauthorized', 'Open the app from the helpdesk to sign in again.');
    // The same account and ticket-access checks as every agent endpoint (404 / 403).
    const session = await deps.sessions.findForAgent(agent, body.sessionId);
    if (session.status !== SessionStatus.active || session.expiresAt <= deps.now()) {
      throw new ApiFailure(409, 'session-ended', 'This call has ended.');
    }
    // The console is the seat's; a colleague takes the call over in the helpdesk first.
    if (session.agentId !== agent.agentId) throw new ApiFailure(409, 'seat-held', `${session.agentName} is in this call.`);
    const { code, expiresAt } = deps.links.mint(agent.tokenHash, session.id);
    const answer: AppConsoleLink = { url: `${deps.publicUrl}${CONSOLE_TAB_PAGE}#${code}`, expiresAt: new Date(expiresAt).toISOString() };
    res.json(answer);
  });

  router.post(CONSOLE_TAB_OPEN_PATH, json, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const { code } = parseBody(ConsoleTabOpenRequestSchema, req.body);
    const claims = deps.links.verify(code);
    if (!claims) throw linkRefused();
    const now = deps.now();
    // Spent before anything else is looked up: of two tabs racing with one code, one wins.
    if (!(await deps.spent.spend(hashToken(code), claims.expiresAt + CLOCK_SKEW_MS, now))) {
      deps.log.warn('console tab refused: link already used');
      throw linkRefused();
    }
    const asker = await deps.agentSessions.findByHash(claims.tokenHash);
    if (!asker || asker.expiresAt <= now)
      throw new ApiFailure(401, 'unauthorized', 'Your sign-in has ended. Reload the ticket and open the specialist view again.');
    // Access is checked again: it may have changed in the two minutes the link lived.
    const session = await deps.sessions.findForAgent(asker, claims.sessionId);
    const { token, record } = await deps.sessions.createAgentSession({
      account: asker.account,
      agentId: asker.agentId,
      name: asker.agentName,
      email: asker.agentEmail,
      locale: asker.agentLocale,
    });
    await deps.audit?.repo.appendAudit({
      at: now,
      actorKind: AuditActorKind.agent,
      actorId: asker.agentId,
      action: AuditAction.consoleTabOpened,
      account: asker.account,
      ticketId: session.ticketId,
      sessionId: session.id,
      detail: null,
    });
    deps.log.info('console tab opened', { agentId: asker.agentId, sessionId: session.id });
    const answer: ConsoleTabOpenResponse = {
      agentToken: token,
      expiresAt: new Date(record.expiresAt).toISOString(),
      ticketId: session.ticketId,
      sessionId: session.id,
      locale: asker.agentLocale,
    };
    res.json(answer);
  });

  return router;
}
