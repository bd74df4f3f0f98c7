import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { InMemoryRoomHub } from '../rooms/hub.js';
import { redisBus } from './bus.js';
import { ClusterRoomHub } from './hub.js';
import { redisLeases } from './leases.js';

export { ClusterRoomHub } from './hub.js';

export interface ClusterOptions {
  url: string;
  /** Names this relay in logs; a random suffix keeps a restarted process apart from its former self. */
  name: string;
  log: Logger;
  /** How long a dead relay's sessions wait before another relay takes them. Default 3 s. */
  leaseMs?: number;
  /** Key and channel prefix: deployments sharing a Redis keep apart. */
  prefix?: string;
  /** Counts frames left out because the Redis publisher was behind (bus.ts, maxPendingBytes). */
  dropped?: () => void;
}

/** This relay as a member of the relays sharing one Redis (`REDIS_URL`). */
export interface ClusterMembership {
  readonly me: string;
  /** Wraps the relay's own rooms (createApp's `rooms`). */
  rooms(local: InMemoryRoomHub): ClusterRoomHub;
  /** `/readyz`: Redis answers. */
  ping(): Promise<unknown>;
  /** Bytes published that Redis has not acknowledged yet. */
  pendingBytes(): number;
  /** After the app closed: leases go back, so the next relay takes the sessions at once. */
  close(): Promise<void>;
}

export function joinCluster({ url, name, log, leaseMs = 3_000, prefix = 'live-assist:', dropped }: ClusterOptions): ClusterMembership {
  const me = `${name}:${randomUUID().slice(0, 8)}`;
  const bus = redisBus({ url, me, prefix, log, ...(dropped ? { dropped } : {}) });
  const leases = redisLeases({ redis: bus.control, me, leaseMs, prefix });
  let hub: ClusterRoomHub | null = null;
  return {
    me,
    rooms(local) {
      hub = new ClusterRoomHub({ local, me, bus, leases, leaseMs, log });
      return hub;
    },
    ping: () => bus.control.ping(),
    pendingBytes: () => bus.pendingBytes(),
    async close() {
      hub?.close();
      await hub?.releaseAll();
      await bus.close();
    },
  };
}
