import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { BusMessageSchema, type BusMessage } from './messages.js';

/** Messages between relays: each relay listens on a channel of its own. */
export interface Bus {
  publish(to: string, message: BusMessage): void;
  onMessage(handler: (message: BusMessage) => void): void;
  /** Redis came back after a drop that began at `lostAt` (ms): messages in between may be lost. */
  onReconnect(handler: (lostAt: number) => void): void;
}

export interface RedisBus extends Bus {
  /** For leases and readiness: commands that fail when Redis does not answer in time. */
  readonly control: Redis;
  close(): Promise<void>;
}

export interface RedisBusOptions {
  url: string;
  me: string;
  prefix: string;
  log: Logger;
  /** A command Redis does not answer within this fails (a hung Redis must not hang a socket). */
  commandTimeoutMs?: number;
}

export function redisBus({ url, me, prefix, log, commandTimeoutMs = 2_000 }: RedisBusOptions): RedisBus {
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
    publish(to, message) {
      redis.publish(channel(to), JSON.stringify(message)).catch(() => {
        // Lost with the connection; the reconnect handler closes what depended on it.
      });
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
