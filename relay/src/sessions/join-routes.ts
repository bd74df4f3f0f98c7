import { Router } from 'express';
import type { InviteAnswer } from '@live-assist/protocol/invite';
import { inviteFailure, type SessionService } from './service.js';
import type { DistFolder } from '../http/dist-files.js';
import { messagePage } from '../http/pages.js';
import { clientOf, refuseGuessers, type GuessLimiter } from '../http/guess-limit.js';
import { joinPage, languageFiles, pageLanguage } from './join-page.js';

/** Where the customer build's assets are served (the manifest's files are relative to the build). */
const CUSTOMER_BASE = '/customer/';

/**
 * The customer's invite link. A bad, expired or ended link still gets the customer page, with the
 * 404/410 status: the page says why in the customer's language, so there is one place for those
 * words in three languages. The page gets the invite answer with its HTML (join-page.ts) and does
 * not ask the API for it again: one lookup, and one miss for the guessing limit, per link opened.
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
    const [html, manifest] = await Promise.all([deps.dist.indexHtml(), deps.dist.manifest()]);
    if (html !== null) {
      // Not noted as opened here: link previews and mail scanners fetch this HTML too. The page
      // tells the relay once it runs (customer-web/src/main.tsx).
      let answer: InviteAnswer;
      if (check.ok) answer = { status, body: deps.sessions.inviteView(check.session) };
      else {
        const failure = inviteFailure(check);
        answer = { status, body: { error: { code: failure.code, message: failure.message } } };
      }
      const files = manifest ? languageFiles(manifest) : new Map<string, string>();
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const language = pageLanguage(search, req.get('accept-language'), new Set(files.keys()));
      const file = files.get(language);
      const preload = file === undefined ? null : `${CUSTOMER_BASE}${file}`;
      res.status(status).type('html').send(joinPage(html, { answer, preload }));
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
