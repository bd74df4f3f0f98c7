import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes → 43 base64url characters (256 bits; the design asks for at least 128). */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function randomToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Shorter random id for rows and URLs that are not secrets by themselves (128 bits). */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/** Cheap shape check so malformed tokens never reach storage. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Tokens are stored only as this hash; a leaked database does not hand out live links. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Derives a token from the relay secret. Used where the agent side must be able to see the
 * same token again (invite link, specialist seat) while storage keeps only its hash.
 */
export function deriveToken(secret: Uint8Array, purpose: string, ...parts: string[]): string {
  const mac = createHmac('sha256', secret);
  mac.update(purpose, 'utf8');
  for (const part of parts) mac.update(`\0${part}`, 'utf8');
  return mac.digest('base64url');
}

// `<purpose>.<payload>`: the live feed's tokens were signed so before this helper existed.
const claimsSignature = (secret: Uint8Array, purpose: string, payload: string) =>
  createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url');

/** Longest signed claim accepted: these travel in URLs and fragments. */
const MAX_SIGNED_LENGTH = 1024;

/**
 * Claims only the relay can have written: `<base64url JSON>.<HMAC>`. Signed, not stored, so any
 * relay with the secret checks them; the purpose is signed too, so one kind is never taken for
 * another.
 */
export function signClaims(secret: Uint8Array, purpose: string, claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${claimsSignature(secret, purpose, payload)}`;
}

/** The claims, or null for anything forged, altered, of another purpose or not JSON. */
export function verifyClaims(secret: Uint8Array, purpose: string, token: string): Record<string, unknown> | null {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0 || token.length > MAX_SIGNED_LENGTH) return null;
  const expected = Buffer.from(claimsSignature(secret, purpose, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
