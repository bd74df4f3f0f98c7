import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { SpentAppTokenRepository } from './store.js';

/** Longest life a signed-URL token may claim (Zendesk's last a few minutes). */
export const MAX_SIGNED_URL_TOKEN_LIFETIME_S = 15 * 60;

/** Kept a minute past expiry: the verifier allows some clock skew. */
const CLOCK_SKEW_S = 60;

/**
 * Each signed-URL token opens the app once: its hash is kept in the shared database until the
 * token expires, so a token read from a log, a history or a proxy cannot mint a second agent
 * session, on this relay or on any other behind the same load balancer.
 */
export class SignedUrlTokenGuard {
  constructor(
    private readonly spent: SpentAppTokenRepository,
    private readonly now: () => number,
  ) {}

  /** Null when the token may be used (it is now spent), else why not. */
  async spend(token: string): Promise<string | null> {
    let claims;
    try {
      claims = decodeJwt(token);
    } catch {
      return 'malformed token';
    }
    const now = this.now();
    const nowS = Math.floor(now / 1000);
    const exp = typeof claims.exp === 'number' ? claims.exp : null;
    if (exp === null) return 'token without expiry';
    const issued = typeof claims.iat === 'number' ? claims.iat : nowS;
    if (exp - issued > MAX_SIGNED_URL_TOKEN_LIFETIME_S || exp - nowS > MAX_SIGNED_URL_TOKEN_LIFETIME_S) {
      return `token lives longer than ${MAX_SIGNED_URL_TOKEN_LIFETIME_S} s`;
    }
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const fresh = await this.spent.spend(hash, (exp + CLOCK_SKEW_S) * 1000, now);
    return fresh ? null : 'token already used';
  }
}
