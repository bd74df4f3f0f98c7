import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { RelayMetrics } from './relay-metrics.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Traffic figures are not for the public. With METRICS_TOKEN set, a scraper sends it as a bearer
 * token; without one, only a caller on this machine may scrape, and not through a local proxy
 * (a request the proxy forwards comes from loopback too, but names its client in a header).
 */
function allowed(req: Request, token: string | null): boolean {
  if (token !== null) {
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    // Equal-length digests: the comparison takes the same time whatever was sent.
    return given !== undefined && timingSafeEqual(digest(given), digest(token));
  }
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && !forwarded;
}

/** `GET /metrics` in Prometheus's text format. */
export function metricsRouter(metrics: RelayMetrics, token: string | null): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!allowed(req, token)) {
      if (token !== null) res.set('WWW-Authenticate', 'Bearer');
      res
        .status(token !== null ? 401 : 403)
        .type('text/plain')
        .send(
          token !== null
            ? 'metrics need the METRICS_TOKEN bearer token\n'
            : 'metrics are served to this machine only (set METRICS_TOKEN)\n',
        );
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
