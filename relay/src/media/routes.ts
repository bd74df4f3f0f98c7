import { Router } from 'express';
import { TWILIO_STATUS_CALLBACK_PATH, type TwilioMedia } from './twilio/index.js';
import type { SessionMedia } from './session-media.js';

/**
 * Media endpoints (docs/contract.md "Twilio media"): access tokens for participants, and Twilio's
 * signed status callbacks (form-encoded, so they sit outside any JSON parser).
 */
export function mediaRoutes(media: SessionMedia, twilio: TwilioMedia | null): Router {
  const router = Router();

  router.post('/api/media/twilio-token', async (req, res) => {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.get('authorization') ?? '');
    res.set('Cache-Control', 'no-store');
    res.json(await media.grantToken(match?.[1] ?? null));
  });

  const webhook = twilio?.webhookHandlers((event) => media.onTwilioEvent(event));
  if (webhook) router.post(TWILIO_STATUS_CALLBACK_PATH, ...webhook);

  return router;
}
