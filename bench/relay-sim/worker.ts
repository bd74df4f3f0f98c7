/**
 * One load-generator process: its share of the simulated sessions, each a specialist socket and a
 * customer socket in this same process, so `performance.now()` is one clock for send and receive.
 * Driven by the parent over IPC (messages.ts); started by generator.ts, never on its own.
 */
import { WebSocket, type RawData } from 'ws';
import { PROTOCOL_VERSION } from '@live-assist/protocol';
import { Histogram } from './histogram.js';
import {
  FromWorkerSchema,
  SimMode,
  ToWorkerSchema,
  type FromWorker,
  type SessionEndpoints,
  type Traffic,
  type WindowStats,
} from './messages.js';

type Role = 'specialist' | 'customer';

/** Pointer frames remembered per session: x carries `seq % RING / RING`, 33 s of pointer at 30 Hz. */
const RING = 1000;
const WELCOME_TIMEOUT_MS = 30_000;
/** The pacing timer: a session's frames go out evenly spread, not all sessions in one burst. */
const TICK_MS = 2;

interface Side {
  readonly role: Role;
  readonly sim: Sim;
  ws: WebSocket | null;
  chats: number;
}

interface Sim {
  readonly index: number;
  readonly specialist: Side;
  readonly customer: Side;
  pointerSeq: number;
  /** performance.now() of each pointer frame still in flight, by ring slot; NaN once received. */
  readonly pointerSentAt: Float64Array;
}

class Counters {
  pointer = new Histogram();
  chat = new Histogram();
  pointersSent = 0;
  pointersReceived = 0;
  chatsSent = 0;
  chatsReceived = 0;
  framesSent = 0;
  framesReceived = 0;
  chatRejected = 0;
  errors: Record<string, number> = {};
  closed: Record<string, number> = {};

  toJSON(): WindowStats {
    return { ...this, pointer: this.pointer.toJSON(), chat: this.chat.toJSON() };
  }
}

let counters = new Counters();
let mode: SimMode = SimMode.relay;
let sims: Sim[] = [];
let stopping = false;
let ticker: ReturnType<typeof setInterval> | null = null;
/** Chat lines in flight: client id → when and by whom it was sent. */
const chatsInFlight = new Map<string, { at: number; from: Role }>();

function reply(message: FromWorker, then?: () => void): void {
  const parsed = FromWorkerSchema.parse(message);
  if (then) process.send!(parsed, () => then());
  else process.send!(parsed);
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function send(side: Side, text: string): boolean {
  const ws = side.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return false;
  ws.send(text);
  counters.framesSent += 1;
  return true;
}

/**
 * Reads only what the figures need (type, point, client id). The product's clients validate every
 * frame with zod; the generator does not, so its CPU goes to traffic, and it is not what is measured.
 */
function receive(side: Side, data: RawData): void {
  const now = performance.now();
  counters.framesReceived += 1;
  let frame: { type?: unknown; point?: unknown; clientId?: unknown; code?: unknown; message?: { clientId?: unknown } };
  try {
    frame = JSON.parse(String(data)) as typeof frame;
  } catch {
    bump(counters.errors, 'not-json');
    return;
  }
  switch (frame.type) {
    case 'pointer': {
      if (side.role !== 'customer' || !Array.isArray(frame.point)) return;
      const slot = Math.round(Number(frame.point[0]) * RING) % RING;
      const sentAt = side.sim.pointerSentAt[slot]!;
      if (Number.isNaN(sentAt)) return;
      side.sim.pointerSentAt[slot] = Number.NaN;
      counters.pointersReceived += 1;
      counters.pointer.record(now - sentAt);
      return;
    }
    // The relay delivers the stored message to both sides; the bare server forwards the send itself.
    case 'chat-message':
    case 'chat-send': {
      const clientId = frame.type === 'chat-send' ? frame.clientId : frame.message?.clientId;
      const sent = typeof clientId === 'string' ? chatsInFlight.get(clientId) : undefined;
      if (!sent || sent.from === side.role) return;
      chatsInFlight.delete(clientId as string);
      counters.chatsReceived += 1;
      counters.chat.record(now - sent.at);
      return;
    }
    case 'chat-rejected':
      counters.chatRejected += 1;
      return;
    case 'error':
      bump(counters.errors, String(frame.code));
      return;
    default:
      return;
  }
}

const RECONNECT_CODES: ReadonlySet<number> = new Set([1006, 1012, 1013]);

/** Opens one socket; in relay mode says hello as client-core does and resolves on the welcome. */
function open(side: Side, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    side.ws = ws;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      ws.terminate();
      settle(new Error(`${side.role} of session ${side.sim.index}: no welcome within ${WELCOME_TIMEOUT_MS / 1000} s`));
    }, WELCOME_TIMEOUT_MS);
    ws.once('unexpected-response', (_req, res) => settle(new Error(`${side.role} of session ${side.sim.index}: HTTP ${res.statusCode}`)));
    ws.on('error', (err) => settle(err));
    ws.once('open', () => {
      if (mode === SimMode.bare) {
        settle();
        return;
      }
      send(side, JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
    });
    ws.on('message', (data) => {
      if (!settled && mode === SimMode.relay) {
        const type = (JSON.parse(String(data)) as { type?: unknown }).type;
        if (type === 'welcome') {
          counters.framesReceived += 1;
          // As the product's clients do after every welcome: ask for the chat they missed.
          send(side, JSON.stringify({ type: 'chat-sync', afterSeq: 0 }));
          settle();
          return;
        }
      }
      receive(side, data);
    });
    ws.on('close', (code) => {
      if (!stopping) bump(counters.closed, String(code));
      const welcomed = settled;
      settle(new Error(`${side.role} of session ${side.sim.index}: closed ${code} before the welcome`));
      // As the product's clients do: a relay restarting, handing the session over (1012) or
      // shedding a socket that fell behind (1013) is answered by coming back after a moment.
      if (welcomed && !stopping && side.ws === ws && RECONNECT_CODES.has(code)) {
        setTimeout(
          () => {
            if (stopping) return;
            open(side, url).then(
              () => bump(counters.closed, 'reconnected'),
              () => bump(counters.errors, 'reconnect-failed'),
            );
          },
          500 + Math.random() * 1000,
        );
      }
    });
  });
}

async function connectAll(endpoints: SessionEndpoints[], concurrency: number): Promise<void> {
  sims = endpoints.map((_, index) => {
    const sim = { index, pointerSeq: 0, pointerSentAt: new Float64Array(RING).fill(Number.NaN) } as Sim;
    Object.assign(sim, {
      specialist: { role: 'specialist', sim, ws: null, chats: 0 },
      customer: { role: 'customer', sim, ws: null, chats: 0 },
    });
    return sim;
  });
  let next = 0;
  const lane = async () => {
    while (next < sims.length) {
      const i = next++;
      const sim = sims[i]!;
      const urls = endpoints[i]!;
      await open(sim.specialist, urls.specialistUrl);
      await open(sim.customer, urls.customerUrl);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sims.length) }, lane));
}

/** Hands out `perSecondEach` events a second to each of `count` items, round robin, evenly spread. */
class Pacer {
  private done = 0;
  /** Events dropped because the generator fell behind (see run). */
  skipped = 0;
  constructor(
    private readonly count: number,
    private readonly perSecondEach: number,
    private readonly t0: number,
  ) {}

  run(now: number, each: (i: number) => void): void {
    if (this.count === 0) return;
    const due = Math.floor(((now - this.t0) / 1000) * this.perSecondEach * this.count);
    // A generator starved of CPU does not burst its backlog: a real client coalesces its pointer
    // and never sends seconds of moves at once (the relay's frame budget would refuse them). Events
    // more than a fifth of a second late are skipped and counted.
    const oldest = due - Math.ceil(0.2 * this.perSecondEach * this.count);
    if (this.done < oldest) {
      this.skipped += oldest - this.done;
      this.done = oldest;
    }
    for (; this.done < due; this.done += 1) each(this.done % this.count);
  }
}

function sideOf(k: number): Side {
  const sim = sims[k >> 1]!;
  return k % 2 === 0 ? sim.specialist : sim.customer;
}

function startTraffic(traffic: Traffic): void {
  const t0 = performance.now();
  const pointers = new Pacer(sims.length, traffic.pointerHz, t0);
  const chats = new Pacer(sims.length * 2, 1 / traffic.chatEveryS, t0);
  const pings = new Pacer(sims.length * 2, 1 / traffic.pingEveryS, t0);
  ticker = setInterval(() => {
    const now = performance.now();
    pointers.run(now, (i) => {
      const sim = sims[i]!;
      const slot = sim.pointerSeq % RING;
      sim.pointerSeq += 1;
      sim.pointerSentAt[slot] = performance.now();
      if (send(sim.specialist, `{"type":"pointer","point":[${slot / RING},0.5]}`)) counters.pointersSent += 1;
    });
    chats.run(now, (k) => {
      const side = sideOf(k);
      side.chats += 1;
      const clientId = `b-${process.pid}-${side.sim.index}-${side.role[0]}-${side.chats}`;
      chatsInFlight.set(clientId, { at: performance.now(), from: side.role });
      const line = { type: 'chat-send', clientId, text: `Line ${side.chats} from the ${side.role}`, attachments: [] };
      if (send(side, JSON.stringify(line))) counters.chatsSent += 1;
    });
    pings.run(now, (k) => send(sideOf(k), JSON.stringify({ type: 'ping', t: Date.now() })));
  }, TICK_MS);
}

async function stopAll(): Promise<void> {
  stopping = true;
  if (ticker) clearInterval(ticker);
  const sockets = sims.flatMap((s) => [s.specialist.ws, s.customer.ws]).filter((ws): ws is WebSocket => ws !== null);
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2000).unref();
        }),
    ),
  );
}

process.on('message', (raw) => {
  const message = ToWorkerSchema.parse(raw);
  switch (message.type) {
    case 'connect':
      mode = message.mode;
      connectAll(message.sessions, message.concurrency).then(
        () => reply({ type: 'connected', sessions: sims.length }),
        (err: unknown) => reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    case 'start':
      startTraffic(message.traffic);
      reply({ type: 'started' });
      return;
    case 'collect': {
      const stats = counters.toJSON();
      counters = new Counters();
      reply({ type: 'stats', stats });
      return;
    }
    case 'stop':
      void stopAll().then(() => reply({ type: 'stopped' }, () => process.exit(0)));
      return;
  }
});
reply({ type: 'ready' });
// The parent went away (crashed or killed): do not stay behind holding sockets.
process.on('disconnect', () => process.exit(0));
