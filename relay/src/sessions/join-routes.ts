import { Router } from 'express';
import type { SessionService } from './service.js';
import type { DistFolder } from '../http/dist-files.js';
import { messagePage } from '../http/pages.js';
import { clientOf, refuseGuessers, type GuessLimiter } from '../http/guess-limit.js';

/**
 * The customer's invite link. A bad, expired or ended link still gets the customer page, with the
 * 404/410 status: the page asks the API, gets the same answer and says why in the customer's
 * language, so there is one place for those words in three languages.
 */
export function joinRoutes(deps: { sessions: SessionService; dist: DistFolder; guesses: GuessLimiter }): Router {
  const router = Router();

  router.use('/customer/assets', deps.dist.assets());

  // The invite token is in the URL: no cache keeps it (Referer headers: http/security-headers.ts).
  router.get('/join/:inviteToken', refuseGuessers(deps.guesses), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const check = await deps.sessions.checkInvite(String(req.params.inviteToken));
    if (!check.ok && check.status === 404) deps.guesses.miss(clientOf(req));
    const status = check.ok ? 200 : check.status;
    const html = await deps.dist.indexHtml();
    if (html !== null) {
      res.status(status).type('html').send(html);
      return;
    }
    // Only when the page was never built (a broken deployment): a plain page that still says why.
    const ask = 'Please ask the support agent for a new link.';
    const page = check.ok
      ? messagePage('Page not available', 'The video call page is not available right now.', 'Please try again in a few minutes.')
      : check.status === 404
        ? messagePage('Link not found', 'This video call link is not valid.', ask)
        : messagePage('Link expired', 'This video call link no longer works.', ask);
    res
      .status(check.ok ? 503 : status)
      .type('html')
      .send(page);
  });

  return router;
}
