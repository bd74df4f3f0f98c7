import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, PROTOCOL_VERSION, RelayToClientSchema, type RelayToClient } from '@live-assist/protocol';
import { silentLogger } from '../logger.js';
import { InMemoryRoomHub } from '../rooms/hub.js';
import type { AnyRoomFeatureFactory, RoomFeature } from '../rooms/feature.js';
import type { RoomSocket } from '../rooms/room.js';
import type { Bus } from './bus.js';
import { ClusterRoomHub } from './hub.js';
import type { Leases } from './leases.js';
import type { BusMessage } from './messages.js';

/** Redis as the hubs see it, in memory: leases that lapse, a bus a relay can fall silent on. */
class MemoryRedis {
  readonly keys = new Map<string, { value: string; until: number }>();
  readonly handlers = new Map<string, (m: BusMessage) => void>();
  /** Relays that died: they neither send nor receive. */
  readonly dead = new Set<string>();
  /** The bus is behind (Redis lags): what may be dropped is, as the Redis bus does past its bound. */
  behind = false;
  readonly dropped: BusMessage[] = [];

  constructor(private readonly leaseMs: number) {}

  private get(key: string): string | null {
    const entry = this.keys.get(key);
    if (!entry || entry.until < Date.now()) return null;
    return entry.value;
  }

  private set(key: string, value: string): void {
    this.keys.set(key, { value, until: Date.now() + this.leaseMs });
  }

  bus(me: string): Bus {
    return {
      publish: (to, message, droppable = false) => {
        if (this.dead.has(me) || this.dead.has(to)) return;
        if (this.behind && (typeof droppable === 'function' ? droppable() : droppable)) {
          this.dropped.push(message);
          return;
        }
        // Through JSON, as Redis carries it, and later, as Redis delivers it.
        const copy = JSON.parse(JSON.stringify(message)) as BusMessage;
        setImmediate(() => this.handlers.get(to)?.(copy));
      },
      onMessage: (handler) => this.handlers.set(me, handler),
      onReconnect: () => {},
    };
  }

  leases(me: string): Leases {
    const live = async <T>(fn: () => T): Promise<T> => {
      if (this.dead.has(me)) return new Promise(() => {});
      return fn();
    };
    return {
      acquire: (id) =>
        live(() => {
          const holder = this.get(`room:${id}`);
          if (holder) return holder;
          this.set(`room:${id}`, me);
          return me;
        }),
      holder: (id) => live(() => this.get(`room:${id}`)),
      holders: (ids) => live(() => ids.map((id) => this.get(`room:${id}`))),
      renew: (ids) =>
        live(() =>
          ids.filter((id) => {
            const holder = this.get(`room:${id}`);
            if (holder && holder !== me) return true;
            this.set(`room:${id}`, me);
            return false;
          }),
        ),
      release: (id) =>
        live(() => {
          if (this.get(`room:${id}`) === me) this.keys.delete(`room:${id}`);
        }),
      beat: () =>
        live(() => {
          this.keys.set(`relay:${me}`, { value: '1', until: Date.now() + 2 * this.leaseMs });
        }),
      alive: (ids) => live(() => new Set(ids.filter((id) => this.get(`relay:${id}`) !== null))),
    };
  }
}

class FakeSocket implements RoomSocket {
  readonly frames: RelayToClient[] = [];
  /** The frames the socket was told it may skip when behind. */
  readonly droppable = new Set<RelayToClient>();
  closedWith: number | null = null;
  send(text: string, droppable = false): void {
    const frame = RelayToClientSchema.parse(JSON.parse(text));
    this.frames.push(frame);
    if (droppable) this.droppable.add(frame);
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

const LEASE_MS = 150;
const INFO = { sessionId: 'session-1', specialistName: 'Ada Agent' };
const hello = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION });

const hubs: ClusterRoomHub[] = [];
afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});

/** Pointers as the annotations feature relays them, without its storage. */
const pointers: AnyRoomFeatureFactory = () => {
  const feature: RoomFeature<'pointer'> = {
    frameTypes: ['pointer'],
    handle(frame, from, room) {
      room.sendTo(from.role === 'customer' ? 'specialist' : 'customer', { type: 'pointer', from: from.role, point: frame.point });
    },
  };
  return feature;
};

function relay(redis: MemoryRedis, me: string, answerMs = 100): ClusterRoomHub {
  const local = new InMemoryRoomHub({
    media: () => ({ mode: 'p2p', iceServers: [] }),
    exitUrl: 'https://www.wilo.com',
    features: [pointers],
  });
  const hub = new ClusterRoomHub({
    local,
    me,
    bus: redis.bus(me),
    leases: redis.leases(me),
    leaseMs: LEASE_MS,
    answerMs,
    log: silentLogger,
  });
  hubs.push(hub);
  return hub;
}

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether the socket was told `role` is connected (in its welcome or since). */
const connected = (socket: FakeSocket, role: 'customer' | 'specialist') =>
  socket.frames.some((f) =>
    (f.type === 'welcome' ? f.participants : f.type === 'participant' ? [f.participant] : []).some((p) => p.role === role && p.connected),
  );

describe('ClusterRoomHub', () => {
  it('a socket reaching a relay while the dead holder still has the lease waits for it to lapse, then gets the room, frames in order', async () => {
    const redis = new MemoryRedis(LEASE_MS);
    const a = relay(redis, 'a');
    const b = relay(redis, 'b');
    const desk = new FakeSocket();
    a.attach(INFO, 'specialist', 'desk-key', desk).receive(hello);
    await until('relay a to hold the session', () => a.liveSessionIds().includes('session-1'));
    redis.dead.add('a');

    const phone = new FakeSocket();
    const conn = b.attach(INFO, 'customer', 'phone-key', phone);
    conn.receive(hello);
    conn.receive(JSON.stringify({ type: 'stage', stage: 'permissions' }));
    await until('relay b to take the session', () => b.liveSessionIds().includes('session-1'));
    await until('the phone to be welcomed', () => phone.frames.some((f) => f.type === 'welcome'));
    expect(phone.closedWith).toBeNull();
    // The stage sent while waiting reached the room after the hello.
    expect(await b.customerPresence('session-1')).toMatchObject({ connected: true, stage: 'permissions' });
  });

  it('a socket still waiting for the dead holder to answer when its lease lapses gets the room, without a reconnect', async () => {
    const redis = new MemoryRedis(LEASE_MS);
    const a = relay(redis, 'a');
    // Relay b waits far longer for an answer than the lease lasts (as 1.5 s against 3 s, with a
    // renewal every second): the lease lapses while the socket is still waiting.
    const b = relay(redis, 'b', 20 * LEASE_MS);
    const desk = new FakeSocket();
    a.attach(INFO, 'specialist', 'desk-key', desk).receive(hello);
    await until('relay a to hold the session', () => a.liveSessionIds().includes('session-1'));
    redis.dead.add('a');

    const phone = new FakeSocket();
    b.attach(INFO, 'customer', 'phone-key', phone).receive(hello);
    await until('relay b to take the session', () => b.liveSessionIds().includes('session-1'));
    await until('the phone to be welcomed', () => phone.frames.some((f) => f.type === 'welcome'), 10 * LEASE_MS);
    expect(phone.closedWith).toBeNull();
  });

  it('the relay of a proxied socket dies: the holder drops that socket from the room, the other side sees it leave', async () => {
    const redis = new MemoryRedis(LEASE_MS);
    const a = relay(redis, 'a');
    const b = relay(redis, 'b');
    const desk = new FakeSocket();
    a.attach(INFO, 'specialist', 'desk-key', desk).receive(hello);
    await until('relay a to hold the session', () => a.liveSessionIds().includes('session-1'));
    const phone = new FakeSocket();
    b.attach(INFO, 'customer', 'phone-key', phone).receive(hello);
    await until('the desk to see the phone', () => connected(desk, 'customer'));
    expect(b.proxiedSockets()).toBe(1);

    redis.dead.add('b');
    await until('the desk to see the phone leave', () =>
      desk.frames.some((f) => f.type === 'participant' && f.participant.role === 'customer' && !f.participant.connected),
    );
    expect(await a.customerPresence('session-1')).toMatchObject({ connected: false });
  });

  it('a bus that is behind leaves out pointer positions both ways; signaling and a hidden pointer still cross', async () => {
    const redis = new MemoryRedis(LEASE_MS);
    const a = relay(redis, 'a');
    const b = relay(redis, 'b');
    const desk = new FakeSocket();
    const deskConn = a.attach(INFO, 'specialist', 'desk-key', desk);
    deskConn.receive(hello);
    await until('relay a to hold the session', () => a.liveSessionIds().includes('session-1'));
    const phone = new FakeSocket();
    const phoneConn = b.attach(INFO, 'customer', 'phone-key', phone);
    phoneConn.receive(hello);
    await until('the desk to see the phone', () => connected(desk, 'customer'));

    redis.behind = true;
    deskConn.receive(JSON.stringify({ type: 'pointer', point: [0.25, 0.25] }));
    const offer = { kind: 'offer', sdp: 'v=0 offer' } as const;
    deskConn.receive(JSON.stringify({ type: 'signal', signal: offer }));
    phoneConn.receive(JSON.stringify({ type: 'pointer', point: [0.75, 0.75] }));
    phoneConn.receive(JSON.stringify({ type: 'pointer', point: null }));
    await until('the offer to reach the phone', () => phone.frames.some((f) => f.type === 'signal'));
    await until('the hidden pointer to reach the desk', () => desk.frames.some((f) => f.type === 'pointer'));
    // Both positions were left out: the desk's on its way out of relay a, the phone's into it.
    expect(redis.dropped.map((m) => m.t)).toEqual(['send', 'frame']);
    expect(phone.frames.some((f) => f.type === 'pointer')).toBe(false);
    expect(desk.frames.filter((f) => f.type === 'pointer')).toEqual([{ type: 'pointer', from: 'customer', point: null }]);

    // Caught up: positions cross again, marked for the proxy's socket to skip should it be behind.
    redis.behind = false;
    deskConn.receive(JSON.stringify({ type: 'pointer', point: [0.5, 0.5] }));
    await until('the position to reach the phone', () => phone.frames.some((f) => f.type === 'pointer'));
    const crossed = phone.frames.find((f) => f.type === 'pointer')!;
    expect(crossed).toEqual({ type: 'pointer', from: 'specialist', point: [0.5, 0.5] });
    expect(phone.droppable.has(crossed)).toBe(true);
    expect(phone.droppable.has(phone.frames.find((f) => f.type === 'signal')!)).toBe(false);
  });

  it('the holder that lost its lease hands its sockets over: they are told to reconnect, and reach the new holder', async () => {
    const redis = new MemoryRedis(LEASE_MS);
    const a = relay(redis, 'a');
    const b = relay(redis, 'b');
    const desk = new FakeSocket();
    a.attach(INFO, 'specialist', 'desk-key', desk).receive(hello);
    await until('relay a to hold the session', () => a.liveSessionIds().includes('session-1'));
    const phone = new FakeSocket();
    b.attach(INFO, 'customer', 'phone-key', phone).receive(hello);
    await until('the desk to see the phone', () => connected(desk, 'customer'));

    // Relay a stalls past its lease (a long GC pause, a cut network) and b takes the session.
    redis.keys.set('room:session-1', { value: 'b', until: Date.now() + 60_000 });
    await until('relay a to let go', () => !a.liveSessionIds().includes('session-1'));
    expect(desk.closedWith).toBe(CloseCode.relayRestart);
    await until('the phone, proxied to a, to be told too', () => phone.closedWith === CloseCode.relayRestart);

    const deskAgain = new FakeSocket();
    a.attach(INFO, 'specialist', 'desk-key', deskAgain).receive(hello);
    const phoneAgain = new FakeSocket();
    b.attach(INFO, 'customer', 'phone-key', phoneAgain).receive(hello);
    await until('both to meet on relay b', () => connected(deskAgain, 'customer') && connected(phoneAgain, 'specialist'));
  });
});
