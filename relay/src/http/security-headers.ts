import type { RequestHandler } from 'express';

/**
 * Headers every response carries, and the page policies: the customer page may not be framed at
 * all, the app pages only by the helpdesk (and the relay itself, which hosts the sandbox); no page
 * runs a script that is not one of the relay's own files.
 */
export function securityHeaders(opts: { publicUrl: string; helpdeskOrigins: string[]; twilioVideo?: boolean }): RequestHandler {
  const https = opts.publicUrl.startsWith('https://');
  // twilio-video 2.x builds its dynamic-import helper with `Function(...)` as it loads; without
  // 'unsafe-eval' the SDK does not load at all. Only a relay that runs calls through Twilio allows it.
  const scripts = opts.twilioVideo ? "script-src 'self' 'unsafe-eval'" : "script-src 'self'";
  const base = [scripts, "worker-src 'self' blob:", "object-src 'none'", "base-uri 'none'"];
  const customerPolicy = [...base, "frame-ancestors 'none'"].join('; ');
  const appPolicy = [...base, `frame-ancestors 'self' ${opts.helpdeskOrigins.join(' ')}`.trim()].join('; ');
  return (req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (https) res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.path.startsWith('/join/') || req.path.startsWith('/customer/')) {
      res.set('Content-Security-Policy', customerPolicy).set('X-Frame-Options', 'DENY');
    } else if (req.path.startsWith('/app/')) {
      res.set('Content-Security-Policy', appPolicy);
    }
    next();
  };
}
