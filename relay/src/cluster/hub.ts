import { randomUUID } from 'node:crypto';
import { CloseCode, isDroppable, type CustomerStage, type Role } from '@live-assist/protocol';
import type { Logger } from '../logger.js';
import { ABSENT, type InMemoryRoomHub, type RoomHub, type RoomInfo } from '../rooms/hub.js';
import type { CustomerPresence, EndReason, ObserverIdentity, RoomConnection, RoomSocket } from '../rooms/room.js';
import type { Bus } from './bus.js';
import type { Leases } from './leases.js';
import type { BusMessage, HubCall } from './messages.js';
import { NO_ROOM, PendingConnection } from './pending.js';

export interface ClusterRoomHubOptions {
  /** This relay's rooms: the sessions it holds. */
  local: InMemoryRoomHub;
  /** This relay's id on the bus and in leases; unique per process start. */
  me: string;
  bus: Bus;
  leases: Leases;
  /** A lease lapses this long after its relay stopped renewing it (renewed every third of it). */
  leaseMs: number;
  /** How long another relay gets to answer (attach, hub call) before it counts as gone. */
  answerMs?: number;
  log: Logger;
}

/** A socket on this relay whose session's room is on another (the holder). */
interface Proxy {
  readonly sessionId: string;
  readonly holder: string;
  readonly socket: RoomSocket;
  /** When it was proxied (Date.now()): a Redis drop before that cannot have lost its frames. */
  readonly since: number;
  settled: boolean;
  done: boolean;
}

/** A socket on another relay in a room held here. */
interface Served {
  readonly from: string;
  readonly sessionId: string;
  /** When it joined (Date.now()), as Proxy.since. */
  readonly since: number;
  conn: RoomConnection;
  reportedSettled: boolean;
}

type Answer = 'attached' | 'refused' | 'closed' | 'no-answer';
type Reply = Extract<BusMessage, { t: 'reply' }>;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A proxied socket's frame, forwarded unread (the holder's room parses it): parsed here only when
 * the bus is behind. Whatever does not parse goes on, for the room to answer as usual.
 */
function droppableText(text: string): boolean {
  try {
    const frame: unknown = JSON.parse(text);
    return typeof frame === 'object' && frame !== null && 'type' in frame && isDroppable(frame);
  } catch {
    return false;
  }
}

/**
 * Rooms shared by relays: each session's room lives on one relay, the holder of its lease in Redis.
 * A socket that lands on another relay is proxied: its frames go to the holder over the bus and
 * what the room sends comes back, so the Room and its features run unchanged in one place. When a
 * holder dies its lease lapses; the sockets proxied to it are closed with 1012, the clients
 * reconnect, and the relay they reach takes the lease and rebuilds the room from the database,
 * as after a restart. See docs/deploy.md.
 */
export class ClusterRoomHub implements RoomHub {
  private readonly owned = new Set<string>();
  private readonly proxies = new Map<string, Proxy>();
  private readonly served = new Map<string, Served>();
  private readonly waiting = new Map<string, (answer: Answer) => void>();
  private readonly calls = new Map<string, (reply: Reply | null) => void>();
  private readonly answerMs: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private ticking = false;
  private closed = false;
  private tickFailing = false;

  constructor(private readonly o: ClusterRoomHubOptions) {
    this.answerMs = o.answerMs ?? 1_500;
    o.bus.onMessage((m) => this.onMessage(m));
    o.bus.onReconnect((lostAt) => this.resync(lostAt));
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(o.leaseMs / 3)));
    this.timer.unref();
    void this.tick();
  }

  attach(info: RoomInfo, role: Role, participantKey: string, socket: RoomSocket, observer: ObserverIdentity | null = null): RoomConnection {
    const pending = new PendingConnection();
    this.connect(info, role, participantKey, socket, observer, pending).catch((err: unknown) => {
      this.o.log.warn(`no room for a socket: ${err instanceof Error ? err.message : String(err)}`);
      socket.close(CloseCode.relayRestart, 'try again');
      pending.bind(NO_ROOM);
    });
    return pending;
  }

  private async connect(
    info: RoomInfo,
    role: Role,
    participantKey: string,
    socket: RoomSocket,
    observer: ObserverIdentity | null,
    pending: PendingConnection,
  ): Promise<void> {
    // A holder that died keeps its lease until it lapses: the socket waits that long, not longer.
    const deadline = Date.now() + this.o.leaseMs + 2 * this.answerMs;
    for (;;) {
      if (pending.isClosed || this.closed) return pending.bind(NO_ROOM);
      const holder = await this.acquire(info.sessionId);
      if (holder === this.o.me) return pending.bind(this.o.local.attach(info, role, participantKey, socket, observer));
      const proxied = await this.attachRemote(holder, info, role, participantKey, socket, observer);
      if (proxied) return pending.bind(proxied);
      if (Date.now() > deadline) {
        socket.close(CloseCode.relayRestart, 'session is moving to another relay');
        return pending.bind(NO_ROOM);
      }
      await delay(Math.max(50, this.o.leaseMs / 6));
    }
  }

  private async attachRemote(
    holder: string,
    info: RoomInfo,
    role: Role,
    participantKey: string,
    socket: RoomSocket,
    observer: ObserverIdentity | null,
  ): Promise<RoomConnection | null> {
    const conn = randomUUID();
    const proxy: Proxy = { sessionId: info.sessionId, holder, socket, since: Date.now(), settled: false, done: false };
    this.proxies.set(conn, proxy);
    const answer = this.answerFor(conn);
    this.o.bus.publish(holder, { t: 'attach', conn, from: this.o.me, info, role, participantKey, observer });
    const answered = await answer;
    if (answered === 'refused' || answered === 'no-answer') {
      this.proxies.delete(conn);
      // A slow holder may still take it: tell it the socket is not coming.
      if (answered === 'no-answer') this.o.bus.publish(holder, { t: 'gone', conn });
      return null;
    }
    if (answered === 'closed') return NO_ROOM;
    return {
      receive: (text) => {
        if (!proxy.done) this.o.bus.publish(holder, { t: 'frame', conn, text }, () => droppableText(text));
      },
      receiveBinary: () => {
        if (!proxy.done) this.o.bus.publish(holder, { t: 'binary', conn });
      },
      closed: () => {
        if (proxy.done) return;
        proxy.done = true;
        this.proxies.delete(conn);
        this.o.bus.publish(holder, { t: 'gone', conn });
      },
      settled: () => proxy.done || proxy.settled,
    };
  }

  private answerFor(conn: string): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('no-answer'), this.answerMs);
      const settle = (answer: Answer) => {
        clearTimeout(timer);
        this.waiting.delete(conn);
        resolve(answer);
      };
      this.waiting.set(conn, settle);
    });
  }

  /** The holder of the session, taking it when nobody holds it. */
  private async acquire(sessionId: string): Promise<string> {
    if (this.owned.has(sessionId)) return this.o.me;
    const holder = await this.o.leases.acquire(sessionId);
    if (holder === this.o.me && !this.owned.has(sessionId)) {
      this.owned.add(sessionId);
      // Sockets here still proxied to a former holder reconnect, to this relay's room.
      this.closeProxies((p) => p.sessionId === sessionId, 'session moved to this relay');
    }
    return holder;
  }

  private async holderOf(sessionId: string): Promise<string | null> {
    return this.owned.has(sessionId) ? this.o.me : this.o.leases.holder(sessionId);
  }

  // --- hub operations: run by the holder, wherever they are asked ---

  async customerPresence(sessionId: string): Promise<CustomerPresence> {
    return this.onHolder(sessionId, false, () => this.o.local.customerPresence(sessionId), { op: 'presence', sessionId }, ABSENT);
  }

  async noteLinkOpened(info: RoomInfo): Promise<void> {
    await this.onHolder(info.sessionId, true, () => this.o.local.noteLinkOpened(info), { op: 'link-opened', info }, undefined);
  }

  async setCustomerStage(info: RoomInfo, stage: CustomerStage): Promise<void> {
    await this.onHolder(info.sessionId, true, () => this.o.local.setCustomerStage(info, stage), { op: 'stage', info, stage }, undefined);
  }

  async endSession(sessionId: string, reason: EndReason): Promise<void> {
    await this.onHolder(sessionId, false, () => this.endHere(sessionId, reason), { op: 'end', sessionId, reason }, undefined);
  }

  async takeOver(sessionId: string, specialistName: string): Promise<void> {
    await this.onHolder(
      sessionId,
      false,
      () => this.o.local.takeOver(sessionId, specialistName),
      { op: 'take-over', sessionId, specialistName },
      undefined,
    );
  }

  private async endHere(sessionId: string, reason: EndReason): Promise<void> {
    await this.o.local.endSession(sessionId, reason);
    if (this.owned.delete(sessionId)) await this.o.leases.release(sessionId);
  }

  /**
   * Runs `here` when this relay holds the session, else asks the holder. `take`: nobody holding it
   * makes this relay the holder (the operation creates the room); otherwise there is no room and
   * the answer is `absent`.
   */
  private async onHolder<T>(sessionId: string, take: boolean, here: () => Promise<T>, call: HubCall, absent: T): Promise<T> {
    // Twice: a holder that just lost the lease refuses, and the second look finds the new one.
    for (let attempt = 0; attempt < 2; attempt++) {
      const holder = take ? await this.acquire(sessionId) : await this.holderOf(sessionId);
      if (holder === null) return absent;
      if (holder === this.o.me) return here();
      const reply = await this.callHolder(holder, call);
      if (reply?.ok) return (call.op === 'presence' ? (reply.presence ?? ABSENT) : undefined) as T;
      if (!reply) {
        this.o.log.warn('the relay holding a session did not answer', { op: call.op });
        return absent;
      }
    }
    return absent;
  }

  private callHolder(holder: string, call: HubCall): Promise<Reply | null> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), this.answerMs);
      const settle = (reply: Reply | null) => {
        clearTimeout(timer);
        this.calls.delete(id);
        resolve(reply);
      };
      this.calls.set(id, settle);
      this.o.bus.publish(holder, { t: 'call', id, from: this.o.me, call });
    });
  }

  private async answerCall(from: string, id: string, call: HubCall): Promise<void> {
    const sessionId = 'sessionId' in call ? call.sessionId : call.info.sessionId;
    if (!this.owned.has(sessionId)) {
      this.o.bus.publish(from, { t: 'reply', id, ok: false });
      return;
    }
    switch (call.op) {
      case 'presence':
        this.o.bus.publish(from, { t: 'reply', id, ok: true, presence: await this.o.local.customerPresence(sessionId) });
        return;
      case 'link-opened':
        await this.o.local.noteLinkOpened(call.info);
        break;
      case 'stage':
        await this.o.local.setCustomerStage(call.info, call.stage);
        break;
      case 'end':
        await this.endHere(sessionId, call.reason);
        break;
      case 'take-over':
        await this.o.local.takeOver(sessionId, call.specialistName);
        break;
    }
    this.o.bus.publish(from, { t: 'reply', id, ok: true });
  }

  // --- the bus ---

  private onMessage(m: BusMessage): void {
    switch (m.t) {
      case 'attach':
        return this.serve(m);
      case 'frame':
      case 'binary': {
        const served = this.served.get(m.conn);
        if (!served) return;
        if (m.t === 'frame') served.conn.receive(m.text);
        else served.conn.receiveBinary();
        if (!served.reportedSettled && served.conn.settled()) {
          served.reportedSettled = true;
          this.o.bus.publish(served.from, { t: 'settled', conn: m.conn });
        }
        return;
      }
      case 'gone': {
        const served = this.served.get(m.conn);
        this.served.delete(m.conn);
        served?.conn.closed();
        return;
      }
      case 'attached':
      case 'refused':
        this.waiting.get(m.conn)?.(m.t);
        return;
      case 'settled': {
        const proxy = this.proxies.get(m.conn);
        if (proxy) proxy.settled = true;
        return;
      }
      case 'send':
        this.proxies.get(m.conn)?.socket.send(m.text, m.droppable === true);
        return;
      case 'close': {
        const proxy = this.proxies.get(m.conn);
        this.waiting.get(m.conn)?.('closed');
        if (!proxy || proxy.done) return;
        proxy.done = true;
        this.proxies.delete(m.conn);
        proxy.socket.close(m.code, m.reason);
        return;
      }
      case 'call':
        this.answerCall(m.from, m.id, m.call).catch((err: unknown) => {
          this.o.log.error('a hub call from another relay failed', err);
          this.o.bus.publish(m.from, { t: 'reply', id: m.id, ok: false });
        });
        return;
      case 'reply':
        this.calls.get(m.id)?.(m);
        return;
    }
  }

  private serve(m: Extract<BusMessage, { t: 'attach' }>): void {
    if (this.owned.has(m.info.sessionId)) return this.serveHere(m);
    // The lease may name this relay without it knowing (an answer lost on the way): look.
    this.acquire(m.info.sessionId).then(
      (holder) => (holder === this.o.me ? this.serveHere(m) : this.o.bus.publish(m.from, { t: 'refused', conn: m.conn })),
      () => this.o.bus.publish(m.from, { t: 'refused', conn: m.conn }),
    );
  }

  private serveHere(m: Extract<BusMessage, { t: 'attach' }>): void {
    if (this.closed) {
      this.o.bus.publish(m.from, { t: 'refused', conn: m.conn });
      return;
    }
    const stub: RoomSocket = {
      send: (text, droppable = false) =>
        this.o.bus.publish(m.from, { t: 'send', conn: m.conn, text, ...(droppable ? { droppable } : {}) }, droppable),
      close: (code, reason) => {
        this.served.delete(m.conn);
        this.o.bus.publish(m.from, { t: 'close', conn: m.conn, code, reason: reason.slice(0, 123) });
      },
    };
    const served: Served = { from: m.from, sessionId: m.info.sessionId, since: Date.now(), conn: NO_ROOM, reportedSettled: false };
    this.served.set(m.conn, served);
    served.conn = this.o.local.attach(m.info, m.role, m.participantKey, stub, m.observer);
    this.o.bus.publish(m.from, { t: 'attached', conn: m.conn });
  }

  // --- leases and liveness ---

  /** Renews leases and this relay's heartbeat; drops sockets whose other end is gone. */
  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.o.leases.beat();
      for (const sessionId of await this.o.leases.renew([...this.owned])) {
        this.o.log.info('another relay took this session over', { sessionId });
        this.owned.delete(sessionId);
        this.o.local.release(sessionId);
      }
      // Proxied sockets whose holder lost the session: another relay took it, or it lapsed and
      // the holder stopped beating (it died). A lapse alone is a holder stalled past its lease (a
      // busy machine): it takes the lease back at its next renewal, and nobody has to reconnect.
      const sessions = [...new Set([...this.proxies.values()].map((p) => p.sessionId))];
      const found = await this.o.leases.holders(sessions);
      const holders = new Map(sessions.map((id, i) => [id, found[i] ?? null] as const));
      const lapsed = [...this.proxies.values()].filter((p) => holders.get(p.sessionId) === null).map((p) => p.holder);
      const beating = await this.o.leases.alive([...new Set(lapsed)]);
      this.closeProxies((p) => {
        if (!holders.has(p.sessionId)) return false;
        const holder = holders.get(p.sessionId);
        return holder === null ? !beating.has(p.holder) : holder !== p.holder;
      }, 'session is moving to another relay');
      // Sockets served for a relay that died: they left the room.
      const alive = await this.o.leases.alive([...new Set([...this.served.values()].map((s) => s.from))]);
      for (const [conn, served] of this.served) {
        if (alive.has(served.from)) continue;
        this.served.delete(conn);
        served.conn.closed();
      }
      if (this.tickFailing) this.o.log.info('relay leases renewed again');
      this.tickFailing = false;
    } catch (err) {
      if (!this.tickFailing) this.o.log.warn(`relay leases not renewed: ${err instanceof Error ? err.message : String(err)}`);
      this.tickFailing = true;
    } finally {
      this.ticking = false;
    }
  }

  /** After a Redis drop frames may be lost both ways: every proxied socket starts over. */
  private resync(lostAt: number): void {
    // Only what was there when the drop began: a socket the other relay, back sooner, proxied
    // here since then has lost nothing.
    this.o.log.info('redis reconnected: proxied sockets start over', { proxied: this.proxies.size, served: this.served.size });
    this.closeProxies((p) => p.since <= lostAt, 'relay connection to Redis was interrupted');
    for (const [conn, served] of this.served) {
      if (served.since > lostAt) continue;
      this.served.delete(conn);
      this.o.bus.publish(served.from, { t: 'close', conn, code: CloseCode.relayRestart, reason: 'try again' });
      served.conn.closed();
    }
    void this.tick();
  }

  private closeProxies(which: (p: Proxy) => boolean, reason: string): void {
    let closed = 0;
    for (const [conn, proxy] of this.proxies) {
      if (!which(proxy) || proxy.done) continue;
      const unanswered = this.waiting.get(conn);
      if (unanswered && !this.closed) {
        // Still asking the former holder (a dead one never answers): its socket looks for the new
        // holder at once rather than being closed, which would cost the client a reconnect.
        this.o.bus.publish(proxy.holder, { t: 'gone', conn });
        unanswered('refused');
        continue;
      }
      proxy.done = true;
      this.proxies.delete(conn);
      this.o.bus.publish(proxy.holder, { t: 'gone', conn });
      proxy.socket.close(CloseCode.relayRestart, reason);
      closed += 1;
    }
    // One line per decision, not per socket: an operator sees sessions moving and why.
    if (closed > 0) this.o.log.info(`sent ${closed} proxied socket(s) to reconnect: ${reason}`);
  }

  liveSessionIds(): string[] {
    return [...this.owned];
  }

  /** Sockets on this relay whose room is on another. */
  proxiedSockets(): number {
    return this.proxies.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    // Served sockets get their 1012 through the bus; this relay's own directly.
    this.o.local.close();
    this.closeProxies(() => true, 'relay shutting down');
  }

  /** After close(): hands the leases back, so the next relay takes the sessions at once. */
  async releaseAll(): Promise<void> {
    const owned = [...this.owned];
    this.owned.clear();
    await Promise.allSettled(owned.map((id) => this.o.leases.release(id)));
  }
}
