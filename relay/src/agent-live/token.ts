import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AgentSessionRecord } from '../db/repository.js';

/** Long enough for a working day's reconnects to cost few template calls; far shorter than the login. */
export const LIVE_TOKEN_TTL_MS = 60 * 60 * 1000;

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The live feed's token: it opens `/ws/agent` for one session and one agent login, for an hour, and
 * nothing else (no agent endpoint takes it). Signed, not stored: any relay with the secret checks
 * it, and the login it names is looked up again on every use (an expired login ends it too). It
 * carries the login's token hash, never the token.
 */
export class LiveTokens {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
  ) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(`agent-live.${payload}`).digest('base64url');
  }

  mint(agent: AgentSessionRecord, sessionId: string): { liveToken: string; expiresAt: number } {
    const expiresAt = Math.min(this.now() + LIVE_TOKEN_TTL_MS, agent.expiresAt);
    const payload = b64(JSON.stringify({ h: agent.tokenHash, s: sessionId, e: expiresAt }));
    return { liveToken: `${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The login's token hash and the session, or null for anything forged, altered or expired. */
  verify(token: string): { tokenHash: string; sessionId: string } | null {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0 || token.length > 1024) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const { h, s, e } = (claims ?? {}) as { h?: unknown; s?: unknown; e?: unknown };
    if (typeof h !== 'string' || typeof s !== 'string' || typeof e !== 'number' || e <= this.now()) return null;
    return { tokenHash: h, sessionId: s };
  }
}
