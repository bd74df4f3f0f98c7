import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from './histogram.js';
import {
  FromWorkerSchema,
  type FromWorker,
  type SessionEndpoints,
  type SimMode,
  type ToWorker,
  type Traffic,
  type WindowStats,
} from './messages.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bench's traffic: the specialist's pointer at 30 Hz, a chat line per side every 10 s, client-core's ping. */
export const TRAFFIC: Traffic = { pointerHz: 30, chatEveryS: 10, pingEveryS: 15 };

/** What all workers saw over one window, merged. */
export interface Window {
  seconds: number;
  pointer: Histogram;
  chat: Histogram;
  pointersSent: number;
  pointersReceived: number;
  chatsSent: number;
  chatsReceived: number;
  framesSent: number;
  framesReceived: number;
  chatRejected: number;
  errors: Record<string, number>;
  closed: Record<string, number>;
}

/**
 * The simulated participants, spread over worker processes: on a small machine one process would
 * be the bottleneck, and its figures the generator's, not the relay's. `pids` are the workers'
 * (the caller prints their CPU so the figures are honest).
 */
export interface Generator {
  pids: number[];
  /** Opens every session's two sockets (hello → welcome in relay mode); resolves once all are in. */
  connect(sessions: SessionEndpoints[], mode: SimMode, concurrency?: number): Promise<void>;
  start(traffic?: Traffic): Promise<void>;
  /** What happened since the last collect (or the start). */
  collect(): Promise<Window>;
  stop(): Promise<void>;
}

interface Worker {
  child: ChildProcess;
  /** The one request in flight: each worker answers in order. */
  waiting: ((message: FromWorker) => void) | null;
}

export async function startGenerator(count: number): Promise<Generator> {
  const ready: Promise<FromWorker>[] = [];
  const workers: Worker[] = Array.from({ length: count }, () => {
    // Node itself with tsx's loader (not the tsx CLI, a wrapper process) so the pid is the worker's.
    const child = fork(WORKER, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { child, waiting: null };
    ready.push(new Promise((resolve) => (worker.waiting = resolve)));
    child.on('message', (raw) => {
      const message = FromWorkerSchema.parse(raw);
      const waiting = worker.waiting;
      worker.waiting = null;
      waiting?.(message);
    });
    child.once('exit', (code) => {
      if (code !== 0) worker.waiting?.({ type: 'failed', message: `a load generator worker exited with ${code}` });
    });
    return worker;
  });
  const killOnExit = () => workers.forEach((w) => w.child.kill('SIGKILL'));
  process.once('exit', killOnExit);

  // Loading tsx and the worker takes a while on a busy machine; it is not part of any figure.
  for (const answer of await Promise.all(ready)) if (answer.type === 'failed') throw new Error(answer.message);

  const ask = (worker: Worker, message: ToWorker): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (worker.child.exitCode !== null) return reject(new Error(`a load generator worker exited with ${worker.child.exitCode}`));
      worker.waiting = (answer) => (answer.type === 'failed' ? reject(new Error(answer.message)) : resolve(answer));
      worker.child.send(message);
    });
  const all = (message: (i: number) => ToWorker) => Promise.all(workers.map((w, i) => ask(w, message(i))));
  let windowStart = performance.now();

  return {
    pids: workers.map((w) => w.child.pid!),
    async connect(sessions, mode, concurrency = 16) {
      await all((i) => ({ type: 'connect', mode, concurrency, sessions: sessions.filter((_, s) => s % count === i) }));
    },
    async start(traffic = TRAFFIC) {
      await all(() => ({ type: 'start', traffic }));
      windowStart = performance.now();
    },
    async collect() {
      const answers = await all(() => ({ type: 'collect' }));
      const now = performance.now();
      const window = merge(
        answers.flatMap((a) => (a.type === 'stats' ? [a.stats] : [])),
        (now - windowStart) / 1000,
      );
      windowStart = now;
      return window;
    },
    async stop() {
      await all(() => ({ type: 'stop' }));
      process.off('exit', killOnExit);
    },
  };
}

function merge(parts: WindowStats[], seconds: number): Window {
  const out: Window = {
    seconds,
    pointer: new Histogram(),
    chat: new Histogram(),
    pointersSent: 0,
    pointersReceived: 0,
    chatsSent: 0,
    chatsReceived: 0,
    framesSent: 0,
    framesReceived: 0,
    chatRejected: 0,
    errors: {},
    closed: {},
  };
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  };
  for (const p of parts) {
    out.pointer.merge(p.pointer);
    out.chat.merge(p.chat);
    out.pointersSent += p.pointersSent;
    out.pointersReceived += p.pointersReceived;
    out.chatsSent += p.chatsSent;
    out.chatsReceived += p.chatsReceived;
    out.framesSent += p.framesSent;
    out.framesReceived += p.framesReceived;
    out.chatRejected += p.chatRejected;
    add(out.errors, p.errors);
    add(out.closed, p.closed);
  }
  return out;
}

/** Anything honest traffic should never see: rate limits, rejections, sockets closed on us. */
export function trouble(w: Window): string | null {
  const parts = [
    ...Object.entries(w.errors).map(([code, n]) => `${n}× error ${code}`),
    ...Object.entries(w.closed).map(([code, n]) => `${n}× closed ${code}`),
    ...(w.chatRejected > 0 ? [`${w.chatRejected}× chat-rejected`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : null;
}
