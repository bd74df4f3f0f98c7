import type { Redis } from 'ioredis';

/**
 * Who holds a session's room: one relay at a time, by a lease in Redis that its holder renews. A
 * relay that dies stops renewing, the lease lapses, and the next relay a client reaches takes it.
 */
export interface Leases {
  /** The holder of the session's lease; takes it for `me` when nobody holds it. */
  acquire(sessionId: string): Promise<string>;
  holder(sessionId: string): Promise<string | null>;
  /** The holders of these sessions, in one round trip (null: nobody). */
  holders(sessionIds: readonly string[]): Promise<(string | null)[]>;
  /** Renews what `me` holds; answers the sessions it no longer holds (another relay took them). */
  renew(sessionIds: readonly string[]): Promise<string[]>;
  release(sessionId: string): Promise<void>;
  /** This relay's own heartbeat (lives two leases), which relays serving or proxying its sockets watch. */
  beat(): Promise<void>;
  /** Which of these relays still beat. */
  alive(relayIds: readonly string[]): Promise<Set<string>>;
}

const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;
// Also takes a lease nobody holds: after Redis restarted empty, holders take their sessions back.
// Every lease of the batch in one script: a relay holding a thousand sessions renews them in one
// command a tick, not a thousand (a thousand evals a second per relay kept Redis and the relay's
// own loop so busy under load that renewals timed out and leases lapsed). Answers the lost ones' positions.
const RENEW_MANY = `
local lost = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder and holder ~= ARGV[1] then
    lost[#lost + 1] = i
  else
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  end
end
return lost`;
/** Keys per renewal script: bounded, so one script never holds Redis for long. */
const RENEW_BATCH = 500;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

export interface RedisLeasesOptions {
  redis: Redis;
  me: string;
  leaseMs: number;
  /** Namespaces the keys (several deployments on one Redis). */
  prefix: string;
}

export function redisLeases({ redis, me, leaseMs, prefix }: RedisLeasesOptions): Leases {
  const sessionKey = (sessionId: string) => `${prefix}room:${sessionId}`;
  const relayKey = (relayId: string) => `${prefix}relay:${relayId}`;
  const run = (script: string, key: string) => redis.eval(script, 1, key, me, String(leaseMs));
  return {
    async acquire(sessionId) {
      return String(await run(ACQUIRE, sessionKey(sessionId)));
    },
    holder: (sessionId) => redis.get(sessionKey(sessionId)),
    async holders(sessionIds) {
      return sessionIds.length === 0 ? [] : redis.mget(sessionIds.map(sessionKey));
    },
    async renew(sessionIds) {
      if (sessionIds.length === 0) return [];
      const batches: string[][] = [];
      for (let i = 0; i < sessionIds.length; i += RENEW_BATCH) batches.push(sessionIds.slice(i, i + RENEW_BATCH));
      const pipeline = redis.pipeline();
      for (const batch of batches) pipeline.eval(RENEW_MANY, batch.length, ...batch.map(sessionKey), me, String(leaseMs));
      const results = (await pipeline.exec()) ?? [];
      // A failed batch is not a lost lease: the next renewal tries again.
      return batches.flatMap((batch, b) => {
        const [err, lost] = results[b] ?? [];
        return err || !Array.isArray(lost) ? [] : lost.map((position) => batch[Number(position) - 1]!);
      });
    },
    async release(sessionId) {
      await run(RELEASE, sessionKey(sessionId));
    },
    async beat() {
      // Outlives a lease: a lapsed lease with its holder still beating is a stall, not a death.
      await redis.set(relayKey(me), '1', 'PX', 2 * leaseMs);
    },
    async alive(relayIds) {
      if (relayIds.length === 0) return new Set();
      const found = await redis.mget(relayIds.map(relayKey));
      return new Set(relayIds.filter((_, i) => found[i] !== null));
    },
  };
}
