import { describe, expect, it } from 'vitest';
import { containsMarker, isValidOpKey, noteMarker, withMarker } from './marker.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('returns null for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 30_000 };

  it('doubles per failure between half and the full nominal delay', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 0)).toBe(1000);
    expect(backoffDelay(3, policy, () => 1)).toBe(4000);
    expect(backoffDelay(4, policy, () => 0.5)).toBe(6000);
  });

  it('is capped', () => {
    expect(backoffDelay(50, policy, () => 1)).toBe(30_000);
    expect(backoffDelay(50, policy, () => 0)).toBe(15_000);
  });

  it('spreads retries with real randomness', () => {
    const samples = new Set(Array.from({ length: 20 }, () => backoffDelay(5, policy)));
    expect(samples.size).toBeGreaterThan(1);
    for (const s of samples) expect(s).toBeGreaterThanOrEqual(8000);
  });
});

describe('note marker', () => {
  it('is a visible footer line naming the operation', () => {
    expect(withMarker('<p>Call</p>', 'call-note:s1')).toContain('Live Assist ref: call-note:s1');
  });

  it('does not match a longer key that starts the same', () => {
    expect(containsMarker('Live Assist ref: call-note:12', noteMarker('call-note:1'))).toBe(false);
    expect(containsMarker('x Live Assist ref: call-note:1\n', noteMarker('call-note:1'))).toBe(true);
    expect(containsMarker('Live Assist ref: call-note:1</small>', noteMarker('call-note:1'))).toBe(true);
  });

  it('accepts only keys no renderer rewrites', () => {
    expect(isValidOpKey('call-note:0b9f_a.1')).toBe(true);
    expect(isValidOpKey('call note')).toBe(false);
    expect(isValidOpKey('<b>')).toBe(false);
    expect(isValidOpKey('')).toBe(false);
  });
});
