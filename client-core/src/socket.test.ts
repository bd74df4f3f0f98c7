import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, PROTOCOL_VERSION } from '@live-assist/protocol';
import { RelaySocket, type RelaySocketOptions, type RelaySocketStatus } from './socket.js';
import type { SocketFactory, SocketHandlers } from './socket-factory.js';

class FakeSocket {
  readonly sent: unknown[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }
  receive(frame: unknown): void {
    this.handlers.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
}

const welcome = (connectionId: string) => ({
  type: 'welcome',
  protocolVersion: PROTOCOL_VERSION,
  sessionId: 'session-123',
  role: 'customer',
  connectionId,
  media: { mode: 'p2p', iceServers: [] },
  participants: [
    {
      role: 'specialist',
      connectionId: 'spec-1',
      connected: true,
      displayName: 'Ana',
      media: { camera: true, microphone: true },
    },
  ],
});

function setup(extra: Partial<RelaySocketOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (url, handlers) => {
    const s = new FakeSocket(url, handlers);
    sockets.push(s);
    return s;
  };
  const logger = { warn: vi.fn() };
  const socket = new RelaySocket({
    wsBase: 'ws://relay.test',
    token: 'tok/en+1',
    factory,
    random: () => 0,
    backoff: { baseMs: 100, maxMs: 1000, jitter: 0.3 },
    heartbeatMs: 0,
    logger,
    instanceId: 'page-1',
    ...extra,
  });
  const statuses: RelaySocketStatus[] = [];
  socket.on('status', (s) => statuses.push(s));
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket opened');
    return s;
  };
  return { socket, sockets, statuses, logger, last };
}

describe('RelaySocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens /ws with the token and says hello with the protocol version and its page', () => {
    const { socket, last } = setup();
    socket.connect();
    expect(last().url).toBe('ws://relay.test/ws?token=tok%2Fen%2B1');
    last().handlers.onOpen();
    expect(last().sent).toEqual([{ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: 'page-1' }]);
  });

  it('names its page the same way on every reconnect, and another page differently', () => {
    const { socket, last } = setup({ instanceId: undefined });
    socket.connect();
    last().handlers.onOpen();
    const first = last().sent[0] as { instanceId: string };
    expect(first.instanceId).toMatch(/^[0-9a-f]{32}$/);
    expect(socket.instanceId).toBe(first.instanceId);
    last().receive(welcome('c-1'));
    last().handlers.onClose(CloseCode.relayRestart, 'relay restart');
    vi.runOnlyPendingTimers();
    last().handlers.onOpen();
    expect(last().sent[0]).toEqual({ type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: first.instanceId });
    expect(setup({ instanceId: undefined }).socket.instanceId).not.toBe(first.instanceId);
  });

  it('emits parsed frames and drops invalid ones without stopping', () => {
    const { socket, last, logger } = setup();
    const participants: unknown[] = [];
    socket.on('participant', (p) => participants.push(p));
    const welcomes: unknown[] = [];
    socket.on('welcome', (w) => welcomes.push(w));
    socket.connect();
    last().handlers.onOpen();
    last().receive('not json');
    last().receive({ type: 'participant', participant: { role: 'nobody' } });
    last().receive(welcome('c-1'));
    last().receive({
      type: 'participant',
      participant: { ...welcome('x').participants[0], connectionId: 'spec-2' },
    });
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(welcomes).toHaveLength(1);
    expect(participants).toHaveLength(1);
    expect(socket.participant('specialist')?.connectionId).toBe('spec-2');
    expect(socket.status).toBe('open');
  });

  it('reconnects with growing, capped delays and resets them after a welcome', () => {
    const { socket, sockets, statuses, last } = setup();
    const delays: number[] = [];
    socket.on('reconnect', (r) => delays.push(r.delayMs));
    socket.connect();
    for (let i = 0; i < 6; i++) {
      last().handlers.onClose(1006, '');
      vi.runOnlyPendingTimers();
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(sockets).toHaveLength(7);
    last().handlers.onOpen();
    last().receive(welcome('c-2'));
    last().handlers.onClose(1006, '');
    expect(delays.at(-1)).toBe(100);
    expect(statuses).toEqual(['connecting', 'reconnecting', 'open', 'reconnecting']);
  });

  it('drops the socket when the device goes offline and reconnects as soon as it is back online', () => {
    let notify: (online: boolean) => void = () => undefined;
    const unsubscribe = vi.fn();
    const network = { subscribe: (cb: (online: boolean) => void) => ((notify = cb), unsubscribe) };
    const { socket, sockets, statuses, last } = setup({ network, backoff: { baseMs: 5_000, maxMs: 30_000, jitter: 0 } });
    socket.connect();
    last().handlers.onOpen();
    last().receive(welcome('c-1'));

    notify(false);
    expect(sockets[0]!.closedWith).toEqual({ code: 4001, reason: 'network lost' });
    expect(socket.status).toBe('reconnecting');
    // A late close of the dropped socket changes nothing.
    sockets[0]!.handlers.onClose(1006, '');
    expect(sockets).toHaveLength(1);

    // Back online long before the 5 s backoff: a new socket at once, no waiting.
    vi.advanceTimersByTime(200);
    notify(true);
    expect(sockets).toHaveLength(2);
    last().handlers.onOpen();
    last().receive(welcome('c-2'));
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // The pending backoff timer was cancelled: no third socket later.
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
    // Online while already open does nothing.
    notify(true);
    expect(sockets).toHaveLength(2);

    socket.close();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('does not open a new socket before the backoff delay has passed', () => {
    const { socket, sockets, last } = setup();
    socket.connect();
    last().handlers.onClose(1006, '');
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
  });

  it.each([4400, 4401, 4409, 4410])('never reconnects after close code %i', (code) => {
    const { socket, sockets, last } = setup();
    const closed: unknown[] = [];
    socket.on('closed', (c) => closed.push(c));
    socket.connect();
    last().handlers.onOpen();
    last().handlers.onClose(code, 'bye');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(socket.status).toBe('closed');
    expect(closed).toEqual([{ code, reason: 'bye' }]);
  });

  it.each([
    [CloseCode.relayRestart, 'relay shutting down'],
    [CloseCode.tooFarBehind, 'too far behind'],
  ])('reconnects after the relay closes with %i (%s) and resumes with a welcome', (code, reason) => {
    const { socket, sockets, statuses, last } = setup();
    const closed: unknown[] = [];
    socket.on('closed', (c) => closed.push(c));
    socket.connect();
    last().handlers.onOpen();
    last().receive(welcome('c-1'));
    last().handlers.onClose(code, reason);
    expect(socket.status).toBe('reconnecting');
    // The first backoff step: short, so the call resumes on another relay within a second.
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    last().handlers.onOpen();
    last().receive(welcome('c-2'));
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(closed).toEqual([]);
  });

  it('ignores late events from a socket it already replaced', () => {
    const { socket, sockets, last } = setup();
    const welcomes: unknown[] = [];
    socket.on('welcome', (w) => welcomes.push(w));
    socket.connect();
    const first = last();
    first.handlers.onClose(1006, '');
    vi.runOnlyPendingTimers();
    first.receive(welcome('stale'));
    first.handlers.onClose(4410, '');
    expect(welcomes).toHaveLength(0);
    expect(socket.status).toBe('reconnecting');
    expect(sockets).toHaveLength(2);
  });

  it('keeps the newest state frames while offline and re-sends them after each welcome', () => {
    const { socket, last } = setup();
    socket.connect();
    last().handlers.onOpen();
    expect(socket.send({ type: 'stage', stage: 'permissions' })).toBe(true);
    expect(socket.send({ type: 'stage', stage: 'in-call' })).toBe(true);
    expect(socket.send({ type: 'media-state', media: { camera: false, microphone: true } })).toBe(true);
    expect(socket.send({ type: 'signal', signal: { kind: 'answer', sdp: 'v=0' } })).toBe(false);
    last().receive(welcome('c-1'));
    expect(last().sent.slice(1)).toEqual([
      { type: 'stage', stage: 'in-call' },
      { type: 'media-state', media: { camera: false, microphone: true } },
    ]);

    last().handlers.onClose(1006, '');
    vi.runOnlyPendingTimers();
    last().handlers.onOpen();
    last().receive(welcome('c-2'));
    expect(last().sent).toEqual([
      { type: 'hello', protocolVersion: PROTOCOL_VERSION, instanceId: 'page-1' },
      { type: 'stage', stage: 'in-call' },
      { type: 'media-state', media: { camera: false, microphone: true } },
    ]);
  });

  it('treats a silent socket as dead and reconnects', () => {
    const sockets: FakeSocket[] = [];
    const socket = new RelaySocket({
      wsBase: 'ws://relay.test',
      token: 't',
      factory: (url, handlers) => {
        const s = new FakeSocket(url, handlers);
        sockets.push(s);
        return s;
      },
      random: () => 0,
      backoff: { baseMs: 100, maxMs: 1000, jitter: 0 },
      heartbeatMs: 1000,
      logger: { warn: vi.fn() },
    });
    socket.connect();
    sockets[0]?.handlers.onOpen();
    sockets[0]?.receive(welcome('c-1'));
    vi.advanceTimersByTime(1000);
    expect(sockets[0]?.sent.at(-1)).toMatchObject({ type: 'ping' });
    vi.advanceTimersByTime(2000);
    expect(sockets[0]?.closedWith).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    expect(socket.status).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
  });

  it('close() stops reconnecting for good', () => {
    const { socket, sockets, last } = setup();
    socket.connect();
    last().handlers.onClose(1006, '');
    socket.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(socket.status).toBe('closed');
    expect(socket.send({ type: 'stage', stage: 'left' })).toBe(false);
  });
});
