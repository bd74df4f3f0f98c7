import type { AgentSessionRecord } from '../db/repository.js';
import { signClaims, verifyClaims } from '../tokens.js';

/** Long enough for a working day's reconnects to cost few template calls; far shorter than the login. */
export const LIVE_TOKEN_TTL_MS = 60 * 60 * 1000;

const PURPOSE = 'agent-live';

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

  mint(agent: AgentSessionRecord, sessionId: string): { liveToken: string; expiresAt: number } {
    const expiresAt = Math.min(this.now() + LIVE_TOKEN_TTL_MS, agent.expiresAt);
    return { liveToken: signClaims(this.secret, PURPOSE, { h: agent.tokenHash, s: sessionId, e: expiresAt }), expiresAt };
  }

  /** The login's token hash and the session, or null for anything forged, altered or expired. */
  verify(token: string): { tokenHash: string; sessionId: string } | null {
    const { h, s, e } = verifyClaims(this.secret, PURPOSE, token) ?? {};
    if (typeof h !== 'string' || typeof s !== 'string' || typeof e !== 'number' || e <= this.now()) return null;
    return { tokenHash: h, sessionId: s };
  }
}
