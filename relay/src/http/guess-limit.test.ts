import { describe, expect, it } from 'vitest';
import { clientKey, GuessLimiter } from './guess-limit.js';

function limiter(opts: { misses?: number; maxClients?: number } = {}) {
  let now = 1_000_000;
  const guesses = new GuessLimiter({ misses: opts.misses ?? 3, windowMs: 60_000, now: () => now, maxClients: opts.maxClients });
  return {
    guesses,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('GuessLimiter', () => {
  it('lets a client miss up to the limit, then refuses it until its oldest miss leaves the window', () => {
    const { guesses, advance } = limiter();
    expect(guesses.retryAfter('203.0.113.1')).toBeNull();
    guesses.miss('203.0.113.1');
    advance(10_000);
    guesses.miss('203.0.113.1');
    expect(guesses.retryAfter('203.0.113.1')).toBeNull();
    guesses.miss('203.0.113.1');
    // The first miss was 10 s before the last: 50 s until it is out of the minute.
    expect(guesses.retryAfter('203.0.113.1')).toBe(50);
    // Another client is not affected.
    expect(guesses.retryAfter('203.0.113.2')).toBeNull();
    advance(49_000);
    expect(guesses.retryAfter('203.0.113.1')).toBe(1);
    advance(1_000);
    // One slot is free again; the next miss closes it for the 10 s until the second one leaves.
    expect(guesses.retryAfter('203.0.113.1')).toBeNull();
    guesses.miss('203.0.113.1');
    expect(guesses.retryAfter('203.0.113.1')).toBe(10);
  });

  it('forgets the client that missed longest ago when it holds too many', () => {
    const { guesses } = limiter({ misses: 1, maxClients: 2 });
    guesses.miss('203.0.113.1');
    guesses.miss('203.0.113.2');
    guesses.miss('203.0.113.3');
    expect(guesses.retryAfter('203.0.113.1')).toBeNull();
    expect(guesses.retryAfter('203.0.113.2')).not.toBeNull();
    expect(guesses.retryAfter('203.0.113.3')).not.toBeNull();
  });

  it('counts an IPv6 /64 as one client, and a v4-mapped address as the IPv4 one', () => {
    const { guesses } = limiter({ misses: 2 });
    guesses.miss('2001:db8:1:2::1');
    guesses.miss('2001:db8:1:2:ffff:ffff:ffff:fffe');
    expect(guesses.retryAfter('2001:0db8:0001:0002:0:0:0:9')).not.toBeNull();
    expect(guesses.retryAfter('2001:db8:1:3::1')).toBeNull();
    guesses.miss('::ffff:198.51.100.7');
    guesses.miss('198.51.100.7');
    expect(guesses.retryAfter('198.51.100.7')).not.toBeNull();
  });
});

describe('clientKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:a:b:c:d:e:f', '2001:db8:a:b::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
