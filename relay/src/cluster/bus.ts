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

/**
 * A batch is published once it holds this much, without waiting for the end of the loop turn:
 * one Redis message stays small next to the subscriber's output buffer limit (8 MiB soft).
 */
const MAX_BATCH_BYTES = 64 * 1024;
/** How long "that relay reads no batches" holds before it is asked again (it may have been starting). */
const RECHECK_SINGLE_MS = 10_000;
/** Relays remembered as batch readers; past it the memory starts over (relays come and go). */
const MAX_KNOWN_RELAYS = 1_000;

/**
 * Messages for one relay go out batched: what this relay publishes to it in one turn of the event
 * loop is one Redis PUBLISH of a JSON array, on a channel of its own (`bus2:`). At the bench's
 * 15,000 pointer frames a second that is a few hundred publishes instead of 15,000, each of which
 * cost ioredis a command object, a promise and garbage, and Redis a dispatch (on the same cores).
 * A relay of an older version listens on `bus:` only: before batching to a relay this one asks
 * Redis whether anyone listens on its `bus2:` (PUBSUB NUMSUB), and until it knows, and for one that
 * does not, sends each message on its own on `bus:`, which every version reads. Both channels are
 * one subscriber connection's, so messages keep their order across the switch.
 */
type Mode = 'single' | 'batch';

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
  const batchChannel = (relayId: string) => `${prefix}bus2:${relayId}`;
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
  /** Per relay: how it reads; `checking` while Redis is asked, `until`: when to ask again. */
  const modes = new Map<string, { mode: Mode; checking: boolean; until: number }>();
  /** Per relay: this turn's messages (JSON texts) and their bytes, published at its end. */
  const batches = new Map<string, { texts: string[]; bytes: number }>();
  let flushScheduled = false;

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
  void sub.subscribe(channel(me), batchChannel(me)).catch((err: unknown) => log.error('redis subscribe failed', err));
  const bad = () => {
    // Logged now and then: a stray publisher must not fill the log.
    if (badMessages++ % 1000 === 0) log.warn('ignored a message on the relay bus that is not one', { count: badMessages });
  };
  const deliver = (value: unknown) => {
    const parsed = BusMessageSchema.safeParse(value);
    if (!parsed.success) return bad();
    for (const handler of handlers) handler(parsed.data);
  };
  const batched = batchChannel(me);
  sub.on('message', (from: string, text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return bad();
    }
    if (from !== batched) return deliver(value);
    if (!Array.isArray(value)) return bad();
    // One bad element costs itself only: the rest of its batch is delivered.
    for (const item of value) deliver(item);
  });

  /** Answered or failed: a failure is lost with the connection, and the reconnect handler closes what depended on it. */
  const settle = (bytes: number) => () => {
    pendingBytes -= bytes;
    // Half the bound: one line per episode, not one per message around the bound.
    if (droppedSince !== null && pendingBytes <= maxPendingBytes / 2) {
      log.info('redis publisher caught up', { dropped: droppedSince });
      droppedSince = null;
    }
  };

  function modeOf(to: string): Mode {
    let known = modes.get(to);
    // Once a relay reads batches it always will (a relay id is one process): nothing more to ask.
    if (known?.mode === 'batch') return 'batch';
    if (!known) {
      if (modes.size >= MAX_KNOWN_RELAYS) modes.clear();
      known = { mode: 'single', checking: false, until: 0 };
      modes.set(to, known);
    }
    if (!known.checking && Date.now() >= known.until) {
      const asked = known;
      asked.checking = true;
      control
        .pubsub('NUMSUB', batchChannel(to))
        .then(
          (reply) => {
            const listeners = Array.isArray(reply) ? Number(reply[1]) : 0;
            if (listeners > 0) asked.mode = 'batch';
          },
          () => undefined,
        )
        .finally(() => {
          asked.checking = false;
          asked.until = Date.now() + RECHECK_SINGLE_MS;
        });
    }
    return known.mode;
  }

  function flush(to: string): void {
    const batch = batches.get(to);
    if (!batch) return;
    batches.delete(to);
    const done = settle(batch.bytes);
    redis.publish(batchChannel(to), `[${batch.texts.join(',')}]`).then(done, done);
  }

  function flushAll(): void {
    flushScheduled = false;
    for (const to of [...batches.keys()]) flush(to);
  }

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
      if (modeOf(to) === 'single') {
        const done = settle(bytes);
        redis.publish(channel(to), text).then(done, done);
        return;
      }
      let batch = batches.get(to);
      if (!batch) batches.set(to, (batch = { texts: [], bytes: 0 }));
      batch.texts.push(text);
      batch.bytes += bytes;
      if (batch.bytes >= MAX_BATCH_BYTES) flush(to);
      else if (!flushScheduled) {
        flushScheduled = true;
        // After this turn's sockets have been read: everything they caused goes in one publish.
        setImmediate(flushAll);
      }
    },
    onMessage: (handler) => handlers.push(handler),
    onReconnect: (handler) => reconnectHandlers.push(handler),
    async close() {
      flushAll();
      await Promise.allSettled([redis.quit(), control.quit(), sub.quit()]);
      redis.disconnect();
      control.disconnect();
      sub.disconnect();
    },
  };
}
