import express, { Router, type Response } from 'express';
import type { SignedUrlTokenGuard } from './token-replay.js';
import type { Helpdesk } from '../helpdesk/types.js';
import { AgentVerificationError, HelpdeskUnavailableError, NotAnAgentError } from '../helpdesk/types.js';
import type { Logger } from '../logger.js';
import type { SessionService } from './service.js';
import type { DistFolder } from '../http/dist-files.js';
import { injectIntoHead, messagePage, scriptSafeJson } from '../http/pages.js';
import { CONSOLE_TAB_PAGE } from './console-tab.js';

export const APP_LOCATIONS = ['ticket_sidebar', 'modal'] as const;
export type AppLocation = (typeof APP_LOCATIONS)[number];

const isLocation = (value: string): value is AppLocation => (APP_LOCATIONS as readonly string[]).includes(value);

/** What the app reads from `<script id="live-assist-boot">`. */
export interface AppBoot {
  agentToken: string;
  location: AppLocation;
  relayUrl: string;
}

/** The console tab's boot: no agent token yet (the page's fragment has the code for one). */
export interface ConsoleTabBoot {
  location: 'console_tab';
  relayUrl: string;
}

function page(res: Response, status: number, title: string, ...sentences: string[]): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(messagePage(title, ...sentences));
}

/** The signed load could not be verified or was used before: the agent reloads the ticket. */
function signInFailed(res: Response): void {
  page(res, 401, 'Sign-in failed', 'The helpdesk sign-in for this app could not be verified. Reload the ticket and open the app again.');
}

/** Signed-URL app loads: the helpdesk POSTs a signed token, we answer with the app's HTML. */
export function appRoutes(deps: {
  sessions: SessionService;
  helpdesk: Helpdesk;
  dist: DistFolder;
  publicUrl: string;
  log: Logger;
  /** Spends each signed-URL token once; absent: no replay check. */
  tokens?: SignedUrlTokenGuard;
}): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.use('/app/assets', deps.dist.assets());

  // The console in a tab of its own (console-tab.ts): the page carries no login; it trades the
  // one-time code in its fragment for one, so the code never reaches a server or a log.
  router.get(CONSOLE_TAB_PAGE, async (_req, res) => {
    const html = await deps.dist.indexHtml();
    if (html === null) {
      page(res, 503, 'App not built', 'The helpdesk app has not been built on this server (npm run build).');
      return;
    }
    const boot: ConsoleTabBoot = { location: 'console_tab', relayUrl: deps.publicUrl };
    const script = `<script id="live-assist-boot" type="application/json">${scriptSafeJson(boot)}</script>`;
    res.status(200).type('html').set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').send(injectIntoHead(html, script));
  });

  router.get('/app/:location', (_req, res) => {
    page(res, 401, 'Open this app from the helpdesk', 'Open this app from the helpdesk; it cannot be used on its own.');
  });

  router.post('/app/:location', form, async (req, res) => {
    const { location } = req.params;
    if (!isLocation(location)) {
      page(res, 404, 'Not found', 'This app location does not exist.');
      return;
    }
    const body: unknown = req.body;
    const token =
      typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>).token === 'string'
        ? ((body as Record<string, unknown>).token as string)
        : '';
    let agent;
    try {
      agent = await deps.helpdesk.verifyAgent({ kind: 'signed-launch', token }, location);
    } catch (err) {
      if (err instanceof HelpdeskUnavailableError) {
        deps.log.warn(`app load: ${err.message}`);
        page(res, 502, 'Helpdesk unreachable', 'The helpdesk could not be reached to confirm who you are. Reload the app shortly.');
        return;
      }
      if (err instanceof NotAnAgentError) {
        deps.log.warn(`app load refused: ${err.message}`);
        page(res, 403, 'For agents only', 'Live Assist can only be used by agents and admins of this helpdesk.');
        return;
      }
      if (err instanceof AgentVerificationError) {
        deps.log.warn(`app load refused: ${err.message}`);
        signInFailed(res);
        return;
      }
      throw err;
    }
    const spent = deps.tokens ? await deps.tokens.spend(token) : null;
    if (spent !== null) {
      deps.log.warn(`app load refused: ${spent}`);
      signInFailed(res);
      return;
    }
    const html = await deps.dist.indexHtml();
    if (html === null) {
      page(res, 503, 'App not built', 'The helpdesk app has not been built on this server (npm run build).');
      return;
    }
    const { token: agentToken } = await deps.sessions.createAgentSession(agent);
    const boot: AppBoot = { agentToken, location, relayUrl: deps.publicUrl };
    const script = `<script id="live-assist-boot" type="application/json">${scriptSafeJson(boot)}</script>`;
    res.status(200).type('html').set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').send(injectIntoHead(html, script));
  });

  return router;
}
