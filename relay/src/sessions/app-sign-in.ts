import express, { Router, type RequestHandler } from 'express';
import { AppSignInRequestSchema, type AppSignInResponse } from '@live-assist/protocol';
import { AgentVerificationError, NotAnAgentError, type Helpdesk } from '../helpdesk/types.js';
import { parseBody } from '../http/api-errors.js';
import { ApiFailure } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { AuditAction, AuditActorKind, type AuditDeps } from '../privacy/index.js';
import type { SessionService } from './service.js';

export const APP_SIGN_IN_PATH = '/api/app/agent-session';

/** The installation's secret: long, and sent by the helpdesk's proxy, never typed by a person. */
const BEARER = /^Bearer ([\x21-\x7e]{32,512})$/;

function unauthorized(): ApiFailure {
  return new ApiFailure(401, 'unauthorized', 'The app installation could not be verified. Check its relay secret, then reload the ticket.');
}

/**
 * The sign-in of an app whose helpdesk signs no agent identity (Freshdesk): one POST that a
 * request template can make (the secret in a header the proxy adds, the rest in the body). The
 * agent and the ticket are what the app claims, so both are read back from the helpdesk before an
 * agent token is minted, and the sign-in goes to the audit log with the ticket it named.
 */
export function appSignInRoutes(deps: {
  sessions: SessionService;
  helpdesk: Helpdesk;
  publicUrl: string;
  audit: AuditDeps | null;
  log: Logger;
  /**
   * Called once the secret is checked, with the account and the request's headers: what the
   * app's template rendered from the installation's settings (the nameplate field mapping).
   */
  installationSettings?: (account: string, header: (name: string) => string | undefined) => Promise<void>;
}): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  // A caller without a secret is refused before its body is read.
  const secretPresent: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (BEARER.test(req.get('authorization') ?? '')) return next();
    res.set('WWW-Authenticate', 'Bearer');
    throw unauthorized();
  };

  router.post(APP_SIGN_IN_PATH, secretPresent, json, async (req, res) => {
    const secret = BEARER.exec(req.get('authorization') ?? '')![1]!;
    const body = parseBody(AppSignInRequestSchema, req.body);
    let agent;
    try {
      agent = await deps.helpdesk.verifyAgent(
        {
          kind: 'install-secret',
          secret,
          agentId: body.agentId,
          email: body.agentEmail,
          ...(body.account === undefined ? {} : { account: body.account }),
        },
        'ticket_sidebar',
      );
    } catch (error) {
      if (error instanceof NotAnAgentError) {
        deps.log.warn(`app sign-in refused: ${error.message}`);
        throw new ApiFailure(403, 'not-an-agent', 'Live Assist can only be used by active agents of this helpdesk.');
      }
      if (error instanceof AgentVerificationError) {
        deps.log.warn(`app sign-in refused: ${error.message}`);
        throw unauthorized();
      }
      throw error;
    }
    await deps.installationSettings?.(agent.account, (name) => req.get(name));
    const access = await deps.helpdesk.ticketAccess(agent.agentId, body.ticketId);
    if (access === 'not-found') throw new ApiFailure(404, 'ticket-not-found', `Ticket ${body.ticketId} does not exist in the helpdesk.`);
    if (access === 'forbidden') {
      throw new ApiFailure(403, 'ticket-forbidden', `Your helpdesk role does not give you access to ticket ${body.ticketId}.`);
    }
    // Written before the token leaves: the trail names who was claimed, on which ticket, when.
    await deps.audit?.repo.appendAudit({
      at: deps.audit.now(),
      actorKind: AuditActorKind.agent,
      actorId: agent.agentId,
      action: AuditAction.appSignIn,
      account: agent.account,
      ticketId: body.ticketId,
      sessionId: null,
      detail: { via: 'install-secret', email: agent.email },
    });
    const { token, record } = await deps.sessions.createAgentSession(agent);
    deps.log.info('app sign-in', { agentId: agent.agentId, ticketId: body.ticketId });
    const answer: AppSignInResponse = {
      agentToken: token,
      expiresAt: new Date(record.expiresAt).toISOString(),
      relayUrl: deps.publicUrl,
      agent: { id: agent.agentId, name: agent.name.slice(0, 200) },
    };
    res.json(answer);
  });

  return router;
}
