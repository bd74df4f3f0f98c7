import { Router } from 'express';
import type { SessionService } from '../services/sessions.js';
import type { DistFolder } from './dist-files.js';
import { messagePage } from './pages.js';

const ASK = 'Please ask the support agent for a new link.';

/** The customer's invite link: the customer page, or a plain page saying why not. */
export function joinRoutes(deps: { sessions: SessionService; dist: DistFolder }): Router {
  const router = Router();

  router.use('/customer/assets', deps.dist.assets());

  router.get('/join/:inviteToken', async (req, res) => {
    // The invite token is in the URL: keep it out of Referer headers and caches.
    res.set('Referrer-Policy', 'no-referrer').set('Cache-Control', 'no-store');
    const check = await deps.sessions.checkInvite(req.params.inviteToken);
    if (!check.ok) {
      const html =
        check.status === 404
          ? messagePage('Link not found', 'This video call link is not valid.', ASK)
          : check.code === 'invite-ended'
            ? messagePage('Call has ended', 'This video call has already ended, so the link no longer works.', ASK)
            : messagePage('Link expired', 'This video call link has expired.', ASK);
      res.status(check.status).type('html').send(html);
      return;
    }
    const html = await deps.dist.indexHtml();
    if (html === null) {
      res
        .status(503)
        .type('html')
        .send(messagePage('Page not available', 'The video call page is not available right now.', 'Please try again in a few minutes.'));
      return;
    }
    res.status(200).type('html').send(html);
  });

  return router;
}
