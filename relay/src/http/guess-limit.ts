import { isIPv6 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { sendApiError } from './api-errors.js';
import { messagePage } from './pages.js';

/**
 * Unknown invite links one client may name in a minute. A customer mistyping a link needs a few;
 * a script trying links needs thousands.
 */
export const INVITE_GUESS_LIMIT = { misses: 20, windowMs: 60_000 } as const;

/** Clients remembered at once; beyond it the one that missed longest ago is forgotten first. */
const MAX_CLIENTS = 10_000;

export interface GuessLimitOptions {
  misses: number;
  windowMs: number;
  now: () => number;
  maxClients?: number;
}

/**
 * Counts misses (requests naming an invite link that does not exist) per client over a sliding
 * window. Past the limit every invite lookup of that client is refused before the lookup, valid
 * links included: a guesser must not learn which guess was right. Kept in memory per relay: behind
 * a load balancer each relay counts the requests it sees.
 */
export class GuessLimiter {
  /** Client key → times of its recent misses, oldest first; the map is ordered by last miss. */
  private readonly misses = new Map<string, number[]>();

  constructor(private readonly opts: GuessLimitOptions) {}

  /** Seconds until `client` may look links up again; null when it may now. */
  retryAfter(client: string): number | null {
    const recent = this.recent(clientKey(client));
    if (recent.length < this.opts.misses) return null;
    // A slot frees up when the oldest counted miss leaves the window.
    const oldest = recent[recent.length - this.opts.misses]!;
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.opts.now()) / 1000));
  }

  miss(client: string): void {
    const key = clientKey(client);
    const recent = this.recent(key);
    recent.push(this.opts.now());
    if (recent.length > this.opts.misses) recent.splice(0, recent.length - this.opts.misses);
    this.misses.delete(key);
    this.misses.set(key, recent);
    if (this.misses.size > (this.opts.maxClients ?? MAX_CLIENTS)) {
      const first = this.misses.keys().next();
      if (!first.done) this.misses.delete(first.value);
    }
  }

  /** The client's misses still in the window (dropping the rest). */
  private recent(key: string): number[] {
    const list = this.misses.get(key);
    if (!list) return [];
    const since = this.opts.now() - this.opts.windowMs;
    const kept = list.filter((at) => at > since);
    if (kept.length === 0) this.misses.delete(key);
    else if (kept.length < list.length) this.misses.set(key, kept);
    return kept;
  }
}

/**
 * The address misses are counted under. An IPv6 client usually holds a whole /64 and could use a
 * fresh address for every guess, so the /64 counts as one client.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail holds two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
  return `${prefix.join(':')}::/64`;
}

/** The client's address: the TCP peer's, or the configured proxies' word for it (`trust proxy`). */
export function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Refuses, before any lookup, a client past its limit: JSON under /api/, a page elsewhere. */
export function refuseGuessers(limiter: GuessLimiter): RequestHandler {
  return (req, res, next) => {
    const wait = limiter.retryAfter(clientOf(req));
    if (wait === null) {
      next();
      return;
    }
    res.set('Retry-After', String(wait)).set('Cache-Control', 'no-store');
    if (req.path.startsWith('/api/')) {
      sendApiError(res, 429, 'too-many-attempts', `Too many unknown links were tried from your network. Try again in ${wait} seconds.`);
      return;
    }
    res
      .status(429)
      .type('html')
      .send(
        messagePage(
          'Too many attempts',
          'Too many links that do not exist were opened from your network.',
          `Please wait ${wait} seconds and open your link again.`,
        ),
      );
  };
}
