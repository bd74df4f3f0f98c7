import { createHash, createHmac, randomBytes } from 'node:crypto';

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
