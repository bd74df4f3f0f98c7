import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '../testing/redis.js';
import { redisLeases } from './leases.js';

describe('session leases in Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('renews what this relay holds, takes back what nobody holds (Redis restarted empty), and answers exactly the ones another relay took', async () => {
    const a = redisLeases({ redis, me: 'relay-a', leaseMs: 5_000, prefix: 'renew-test:' });
    const b = redisLeases({ redis, me: 'relay-b', leaseMs: 5_000, prefix: 'renew-test:' });
    // More than one renewal batch (500), with losses in both batches.
    const ids = Array.from({ length: 1_201 }, (_, i) => `s${i}`);
    for (const id of ids) expect(await a.acquire(id)).toBe('relay-a');
    await redis.del('renew-test:room:s7', 'renew-test:room:s900');
    for (const id of ['s3', 's600', 's1200']) {
      await redis.del(`renew-test:room:${id}`);
      expect(await b.acquire(id)).toBe('relay-b');
    }
    await redis.pexpire('renew-test:room:s0', 50);

    expect((await a.renew(ids)).sort()).toEqual(['s1200', 's3', 's600']);
    const holders = await a.holders(ids);
    expect(holders.filter((h) => h === 'relay-b')).toHaveLength(3);
    expect(holders.filter((h) => h === 'relay-a')).toHaveLength(1_198);
    // Renewed: the lease runs the whole lease time again.
    expect(await redis.pttl('renew-test:room:s0')).toBeGreaterThan(4_000);
    expect(await a.renew([])).toEqual([]);
  });
});
