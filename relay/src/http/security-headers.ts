import type { RequestHandler } from 'express';
import { MESSAGE_PAGE_STYLE_SOURCE } from './pages.js';

/**
 * Headers every response carries, and the page policies: the customer page may not be framed at
 * all, the app pages only by the helpdesk (and the relay itself, which hosts the sandbox); no page
 * runs a script that is not one of the relay's own files. Everything else (JSON, files, error and
 * 404 pages) may load nothing but the message pages' own style, and may not be framed: a response
 * that reflects part of a URL cannot become a page that runs or fetches anything. A router that
 * serves pages of its own (the sandbox) sets their policy itself.
 */
export function securityHeaders(opts: { publicUrl: string; helpdeskOrigins: string[]; twilioVideo?: boolean }): RequestHandler {
  const https = opts.publicUrl.startsWith('https://');
  // twilio-video 2.x builds its dynamic-import helper with `Function(...)` as it loads; without
  // 'unsafe-eval' the SDK does not load at all. Only a relay that runs calls through Twilio allows it.
  const scripts = opts.twilioVideo ? "script-src 'self' 'unsafe-eval'" : "script-src 'self'";
  const rest = ["worker-src 'self' blob:", "object-src 'none'", "base-uri 'none'"];
  const base = [scripts, ...rest];
  // The console reads nameplates with WebAssembly (zxing-wasm, Tesseract) in its worker: the app
  // pages may compile WebAssembly, nothing more; the customer's pages may not.
  const appBase = [`${scripts} 'wasm-unsafe-eval'`, ...rest];
  const customerPolicy = [...base, "frame-ancestors 'none'"].join('; ');
  const consoleTabPolicy = [...appBase, "frame-ancestors 'none'"].join('; ');
  const appPolicy = [...appBase, `frame-ancestors 'self' ${opts.helpdeskOrigins.join(' ')}`.trim()].join('; ');
  const otherPolicy = [
    "default-src 'none'",
    `style-src ${MESSAGE_PAGE_STYLE_SOURCE}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (https) res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.path.startsWith('/join/') || req.path.startsWith('/customer/')) {
      // The invite token is in the join page's URL: no request from the page may carry it as Referer.
      res.set('Content-Security-Policy', customerPolicy).set('X-Frame-Options', 'DENY').set('Referrer-Policy', 'no-referrer');
    } else if (req.path === '/app/console') {
      // The console in a tab of its own (Freshdesk) is a top-level page with the camera: no one frames it.
      res.set('Content-Security-Policy', consoleTabPolicy).set('X-Frame-Options', 'DENY');
    } else if (req.path.startsWith('/app/')) {
      res.set('Content-Security-Policy', appPolicy);
    } else {
      res.set('Content-Security-Policy', otherPolicy);
    }
    next();
  };
}
