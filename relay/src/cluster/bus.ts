import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { BusMessageSchema, type BusMessage } from './messages.js';

/**
 * Whether a message may be left out when the bus is behind: a frame a newer one replaces
 * (protocol's isDroppable). A function when finding out costs something (parsing a client's frame):
 * it is asked only then.
 */
export type Droppable = boolean | (() => boolean);

/** Messages between relays: each relay listens on a channel of its own. */
export interface Bus {
  publish(to: string, message: BusMessage, droppable?: Droppable): void;
  onMessage(handler: (message: BusMessage) => void): void;
  /** Redis came back after a drop that began at `lostAt` (ms): messages in between may be lost. */
  onReconnect(handler: (lostAt: number) => void): void;
}

export interface RedisBus extends Bus {
  /** For leases and readiness: commands that fail when Redis does not answer in time. */
  readonly control: Redis;
  /** Bytes published that Redis has not acknowledged yet (relay_bus_pending_bytes). */
  pendingBytes(): number;
  close(): Promise<void>;
}

export interface RedisBusOptions {
  url: string;
  me: string;
  prefix: string;
  log: Logger;
  /** A command Redis does not answer within this fails (a hung Redis must not hang a socket). */
  commandTimeoutMs?: number;
  /**
   * Past this many bytes of publishes Redis has not acknowledged, droppable messages are not
   * published (`dropped` counts them); the rest still are. Default 4 MiB: a Redis that keeps up
   * holds a few KiB here even at the bench's 30,000 pointer frames a second (~200 bytes each on the
   * bus, answered within a millisecond); 4 MiB is over half a second of that rate, past which a
   * pointer arrives too late to be worth showing, and what a stalled Redis (no command timeout on
   * this connection, below) makes this relay hold for pointers stops there instead of growing
   * until the heap is gone.
   */
  maxPendingBytes?: number;
  /** Counts each message left out (relay_frames_dropped_total{reason="bus_backlog"}). */
  dropped?: () => void;
}

export const DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;

export function redisBus({
  url,
  me,
  prefix,
  log,
  commandTimeoutMs = 2_000,
  maxPendingBytes = DEFAULT_MAX_PENDING_BYTES,
  dropped,
}: RedisBusOptions): RedisBus {
  const channel = (relayId: string) => `${prefix}bus:${relayId}`;
  // ioredis reconnects by itself, with a capped backoff, and resubscribes.
  const retryStrategy = (times: number) => Math.min(100 * times, 2_000);
  // Pointer frames go out dozens a second per session: pipelined, one write per tick. No command
  // timeout on this connection: with auto-pipelining ioredis times out whole batches under load
  // (measured: 7,000 publishes a second, 98 % lost), and a publish that fails loses one frame.
  const redis = new Redis(url, { enableAutoPipelining: true, retryStrategy, maxRetriesPerRequest: 2 });
  // Leases and probes: a hung Redis must not hang a socket waiting for its room.
  const control = new Redis(url, { commandTimeout: commandTimeoutMs, retryStrategy, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null });
  const handlers: ((message: BusMessage) => void)[] = [];
  const reconnectHandlers: ((lostAt: number) => void)[] = [];
  let lostAt = 0;
  let lost = false;
  let badMessages = 0;
  let pendingBytes = 0;
  /** Droppable messages left out since the bus fell behind; null while it keeps up. */
  let droppedSince: number | null = null;

  for (const [name, connection] of [
    ['publisher', redis],
    ['control', control],
    ['subscriber', sub],
  ] as const) {
    connection.on('error', (err: Error) => {
      if (!lost) {
        log.warn(`redis ${name} connection failed: ${err.message}`);
        lostAt = Date.now();
      }
      lost = true;
    });
    connection.on('close', () => {
      if (!lost) lostAt = Date.now();
      lost = true;
    });
    connection.on('ready', () => {
      if (!lost) return;
      // Messages may have been lost in between: once every connection is back, tell the hub once.
      if (redis.status !== 'ready' || control.status !== 'ready' || sub.status !== 'ready') return;
      lost = false;
      log.info('redis reconnected');
      for (const handler of reconnectHandlers) handler(lostAt);
    });
  }
  void sub.subscribe(channel(me)).catch((err: unknown) => log.error('redis subscribe failed', err));
  sub.on('message', (_channel: string, text: string) => {
    let message: BusMessage;
    try {
      message = BusMessageSchema.parse(JSON.parse(text));
    } catch {
      // Logged now and then: a stray publisher must not fill the log.
      if (badMessages++ % 1000 === 0) log.warn('ignored a message on the relay bus that is not one', { count: badMessages });
      return;
    }
    for (const handler of handlers) handler(message);
  });

  return {
    control,
    pendingBytes: () => pendingBytes,
    publish(to, message, droppable = false) {
      if (pendingBytes > maxPendingBytes && (typeof droppable === 'function' ? droppable() : droppable)) {
        dropped?.();
        if (droppedSince === null) {
          droppedSince = 0;
          log.warn('redis publisher is behind: pointer frames between relays are dropped', { pendingKiB: Math.round(pendingBytes / 1024) });
        }
        droppedSince += 1;
        return;
      }
      const text = JSON.stringify(message);
      const bytes = Buffer.byteLength(text);
      pendingBytes += bytes;
      // Answered or failed: a failure is lost with the connection, and the reconnect handler
      // closes what depended on it.
      const settled = () => {
        pendingBytes -= bytes;
        // Half the bound: one line per episode, not one per message around the bound.
        if (droppedSince !== null && pendingBytes <= maxPendingBytes / 2) {
          log.info('redis publisher caught up', { dropped: droppedSince });
          droppedSince = null;
        }
      };
      redis.publish(channel(to), text).then(settled, settled);
    },
    onMessage: (handler) => handlers.push(handler),
    onReconnect: (handler) => reconnectHandlers.push(handler),
    async close() {
      await Promise.allSettled([redis.quit(), control.quit(), sub.quit()]);
      redis.disconnect();
      control.disconnect();
      sub.disconnect();
    },
  };
}
