import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { waitFor } from '../testing/harness.js';
import { startTestRedis, type TestRedis } from '../testing/redis.js';
import { DEFAULT_MAX_PENDING_BYTES, redisBus, type RedisBus } from './bus.js';
import type { BusMessage } from './messages.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const buses: RedisBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

/** A plain subscriber on one raw channel: what Redis carries there, message by message. */
const listeners: Redis[] = [];
afterEach(() => {
  for (const l of listeners.splice(0)) l.disconnect();
});
async function listen(channel: string): Promise<string[]> {
  const l = new Redis(redis.url);
  listeners.push(l);
  const heard: string[] = [];
  l.on('message', (_c: string, text: string) => heard.push(text));
  await l.subscribe(channel);
  return heard;
}

function bus(me: string, dropped?: () => void): RedisBus {
  const made = redisBus({ url: redis.url, me, prefix: 'bus-test:', log: silentLogger, ...(dropped ? { dropped } : {}) });
  buses.push(made);
  return made;
}

/** What the holder's room sends a proxied phone: the desk's pointer, or a chat line. */
const pointer = (i: number): BusMessage => ({
  t: 'send',
  conn: 'phone',
  text: JSON.stringify({ type: 'pointer', from: 'specialist', point: [(i % 1000) / 1000, 0.5] }),
  droppable: true,
});
const chat = (i: number): BusMessage => ({
  t: 'send',
  conn: 'phone',
  text: JSON.stringify({ type: 'chat-message', message: { seq: i, text: `line ${i}` } }),
});

describe('the Redis bus between relays', () => {
  it('Redis stalls: past the bound pointer frames are not published (counted), chat still is, and arrives in order once Redis is back', async () => {
    let dropped = 0;
    const a = bus('relay-a', () => (dropped += 1));
    const b = bus('relay-b');
    const received: BusMessage[] = [];
    b.onMessage((m) => received.push(m));
    await waitFor('relay b to hear relay a', async () => {
      a.publish('relay-b', { t: 'settled', conn: 'probe' });
      return received.length > 0;
    });
    await waitFor('the probes to be answered', async () => a.pendingBytes() === 0);
    received.length = 0;

    redis.freeze();
    // 60,000 pointer frames (30 Hz for half an hour of one session, or two seconds of the bench's
    // 1,000) with a chat line every 6,000: far past the bound while Redis answers nothing.
    const pointers = 60_000;
    const pointerBytes = Buffer.byteLength(JSON.stringify(pointer(0)));
    let chatBytes = 0;
    let mostPending = 0;
    for (let i = 0; i < pointers; i++) {
      a.publish('relay-b', pointer(i), true);
      if (i % 6_000 === 0) {
        chatBytes += Buffer.byteLength(JSON.stringify(chat(i / 6_000)));
        a.publish('relay-b', chat(i / 6_000));
      }
      mostPending = Math.max(mostPending, a.pendingBytes());
    }
    // What waits for Redis stopped at the bound: one pointer over it, and the chat lines.
    expect(mostPending).toBeLessThanOrEqual(DEFAULT_MAX_PENDING_BYTES + pointerBytes + chatBytes);
    expect(dropped).toBeGreaterThan(pointers - DEFAULT_MAX_PENDING_BYTES / pointerBytes - 1);

    redis.thaw();
    const chats = () => received.filter((m) => m.t === 'send' && !m.droppable);
    await waitFor('every chat line to arrive', async () => chats().length === 10);
    await waitFor('Redis to have answered everything', async () => a.pendingBytes() === 0);
    expect(chats().map((m) => (m.t === 'send' ? JSON.parse(m.text).message.seq : null))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await waitFor('every pointer published to arrive', async () => received.length === pointers - dropped + 10);

    // Caught up: pointers go again.
    const before = dropped;
    a.publish('relay-b', pointer(1), true);
    await waitFor('the next pointer to arrive', async () => received.length === pointers - dropped + 11);
    expect(dropped).toBe(before);
  });

  it('what one turn publishes to a relay is one Redis message, and arrives whole and in order', async () => {
    const a = bus('relay-a');
    const b = bus('relay-b');
    const received: BusMessage[] = [];
    b.onMessage((m) => received.push(m));
    const onRedis = await listen('bus-test:bus2:relay-b');
    // Until relay a has found relay b reads batches it sends each message on its own.
    await waitFor('relay a to batch to relay b', async () => {
      a.publish('relay-b', { t: 'settled', conn: 'probe' });
      return onRedis.length > 0;
    });
    await waitFor('the probes to be answered', async () => a.pendingBytes() === 0);
    received.length = 0;
    onRedis.length = 0;

    // A turn of the bench's busiest relay: 300 pointer frames and a chat line (~30 KiB).
    for (let i = 0; i < 300; i++) a.publish('relay-b', pointer(i), true);
    a.publish('relay-b', chat(1));
    await waitFor('all 301 to arrive', async () => received.length === 301);
    expect(onRedis).toHaveLength(1);
    expect(received.slice(0, 300).map((m) => (m.t === 'send' ? JSON.parse(m.text).point[0] : null))).toEqual(
      Array.from({ length: 300 }, (_, i) => i / 1000),
    );
    expect(received[300]).toEqual(chat(1));

    // Past 64 KiB a batch goes out at once: 3,000 frames (~290 KiB) are a handful of messages.
    onRedis.length = 0;
    received.length = 0;
    for (let i = 0; i < 3_000; i++) a.publish('relay-b', pointer(i), true);
    await waitFor('all 3,000 to arrive', async () => received.length === 3_000);
    expect(onRedis.length).toBeGreaterThanOrEqual(4);
    expect(onRedis.length).toBeLessThanOrEqual(6);
    expect(received.map((m) => (m.t === 'send' ? JSON.parse(m.text).point[0] : null))).toEqual(
      Array.from({ length: 3_000 }, (_, i) => (i % 1000) / 1000),
    );
    await waitFor('Redis to have answered everything', async () => a.pendingBytes() === 0);
  });

  it('a relay of the version before batches (listening on bus: only) gets every message on its own', async () => {
    const a = bus('relay-a');
    const old = await listen('bus-test:bus:relay-old');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) a.publish('relay-old', pointer(round * 100 + i), true);
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor('all 300 to arrive', async () => old.length === 300);
    expect(old.map((text) => JSON.parse(JSON.parse(text).text).point[0])).toEqual(Array.from({ length: 300 }, (_, i) => i / 1000));
  });

  it('a batch with a message that is not one delivers the others', async () => {
    const b = bus('relay-b');
    const received: BusMessage[] = [];
    b.onMessage((m) => received.push(m));
    const raw = new Redis(redis.url);
    listeners.push(raw);
    const batch = [chat(1), { t: 'send', conn: 42 }, 'not an object', chat(2)];
    await waitFor('relay b to read both messages of the batch', async () => {
      await raw.publish('bus-test:bus2:relay-b', JSON.stringify(batch));
      await raw.publish('bus-test:bus2:relay-b', '{not json');
      return received.length >= 2;
    });
    expect(received.slice(0, 2)).toEqual([chat(1), chat(2)]);
  });
});
