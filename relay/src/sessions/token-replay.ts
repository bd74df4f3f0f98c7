import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';

/** Longest life a signed-URL token may claim (Zendesk's last a few minutes). */
export const MAX_SIGNED_URL_TOKEN_LIFETIME_S = 15 * 60;

/**
 * Each signed-URL token opens the app once: its hash is remembered until the token expires, so a
 * token read from a log, a history or a proxy cannot mint a second agent session.
 */
export class SignedUrlTokenGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Null when the token may be used (it is now spent), else why not. */
  spend(token: string): string | null {
    let claims;
    try {
      claims = decodeJwt(token);
    } catch {
      return 'malformed token';
    }
    const nowS = Math.floor(this.now() / 1000);
    const exp = typeof claims.exp === 'number' ? claims.exp : null;
    if (exp === null) return 'token without expiry';
    const issued = typeof claims.iat === 'number' ? claims.iat : nowS;
    if (exp - issued > MAX_SIGNED_URL_TOKEN_LIFETIME_S || exp - nowS > MAX_SIGNED_URL_TOKEN_LIFETIME_S) {
      return `token lives longer than ${MAX_SIGNED_URL_TOKEN_LIFETIME_S} s`;
    }
    this.forgetExpired(nowS);
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    if (this.seen.has(hash)) return 'token already used';
    // Kept a minute past expiry: the verifier allows some clock skew.
    this.seen.set(hash, exp + 60);
    return null;
  }

  private forgetExpired(nowS: number): void {
    for (const [hash, until] of this.seen) if (until < nowS) this.seen.delete(hash);
  }
}
