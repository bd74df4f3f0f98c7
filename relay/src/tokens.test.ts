import { describe, expect, it } from 'vitest';
import { deriveToken, hashToken, isWellFormedToken, randomToken } from './tokens.js';

describe('tokens', () => {
  it('random tokens are 256-bit base64url and never repeat', () => {
    const seen = new Set(Array.from({ length: 200 }, randomToken));
    expect(seen.size).toBe(200);
    for (const t of seen) {
      expect(isWellFormedToken(t)).toBe(true);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
  });

  it('rejects malformed tokens before any lookup', () => {
    expect(isWellFormedToken('')).toBe(false);
    expect(isWellFormedToken('short')).toBe(false);
    expect(isWellFormedToken(`${randomToken()}x`)).toBe(false);
    expect(isWellFormedToken('a'.repeat(42) + '/')).toBe(false);
  });

  it('hashes are stable hex SHA-256 and differ from the token', () => {
    const t = randomToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toContain(t);
  });

  it('derived tokens are well formed, stable per input and depend on secret, purpose and parts', () => {
    const secret = Buffer.from('s'.repeat(32));
    const a = deriveToken(secret, 'invite', 'session-1');
    expect(isWellFormedToken(a)).toBe(true);
    expect(deriveToken(secret, 'invite', 'session-1')).toBe(a);
    expect(deriveToken(Buffer.from('t'.repeat(32)), 'invite', 'session-1')).not.toBe(a);
    expect(deriveToken(secret, 'specialist', 'session-1')).not.toBe(a);
    expect(deriveToken(secret, 'invite', 'session-2')).not.toBe(a);
    // Part boundaries matter: ("ab","c") must not equal ("a","bc").
    expect(deriveToken(secret, 'x', 'ab', 'c')).not.toBe(deriveToken(secret, 'x', 'a', 'bc'));
  });
});
