import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_LIVE_PATH, CloseCode, MAX_FRAME_BYTES } from '@live-assist/protocol';
import { logContext, saneRequestId, withLogContext } from '../log/index.js';
import type { Logger } from '../logger.js';
import type { RoomHub } from '../rooms/hub.js';
import type { AuthenticatedParticipant, SessionService } from '../sessions/service.js';
import type { AgentLive } from '../agent-live/feed.js';
import { boundedSocket } from './backlog.js';

export interface SocketGatewayDeps {
  sessions: SessionService;
  hub: RoomHub;
  log: Logger;
  /** Sockets that miss a heartbeat are dropped, freeing the seat of a vanished phone. */
  heartbeatMs?: number;
  /**
   * A socket that has not said hello by then is closed (4408): clients say hello as the socket
   * opens, so only an idle or hostile one waits, holding memory and a token's socket slot.
   */
  helloTimeoutMs?: number;
  /**
   * Open sockets one participant token may hold at once; the next upgrade is refused (429). A
   * reload or a second tab needs two for a moment; a script opening hundreds gets nowhere.
   */
  maxSocketsPerToken?: number;
  /** The agent's live feed (`/ws/agent`), beside the room sockets; absent: 404 there. */
  agentLive?: AgentLive;
  /**
   * Counted per frame (the relay's frames in/out per second); `dropped`: frames not sent because
   * their socket was behind (ws/backlog.ts).
   */
  frames?: { in: Counter; out: Counter; dropped?: Counter };
  /** Sockets closed for being too far behind (1013). */
  tooFarBehind?: Counter;
}

interface Counter {
  inc(): void;
}

const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_SOCKETS_PER_TOKEN = 4;

export interface SocketGateway {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** WebSockets open now. */
  openSockets(): number;
  /** Bytes waiting in the room sockets' send buffers, all together (ws `bufferedAmount`). */
  backlogBytes(): number;
  /** Shutdown: new upgrades get 503 (the load balancer's retry takes them to another relay). */
  stopAccepting(): void;
  /** Resolves once every socket has closed, or after `timeoutMs`, whichever is first. */
  drained(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * The Room enforces the 64 KiB frame limit with a clear error and close 4413; ws only stops
 * frames far beyond it so a hostile peer cannot make us buffer megabytes first.
 */
const HARD_PAYLOAD_LIMIT = 4 * MAX_FRAME_BYTES;

/** Written to the raw socket, past express: the same strict headers as every other non-page answer. */
function refuse(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** ws glue: authenticates upgrades with the participant token and wires sockets to rooms. */
export function createSocketGateway(deps: SocketGatewayDeps): SocketGateway {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_PAYLOAD_LIMIT });
  const alive = new WeakMap<WebSocket, boolean>();
  const openPerToken = new Map<string, number>();
  const maxPerToken = deps.maxSocketsPerToken ?? DEFAULT_MAX_SOCKETS_PER_TOKEN;
  const helloTimeoutMs = deps.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
  let accepting = true;
  /** Set while someone waits in drained(). */
  let onIdle: (() => void) | null = null;

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.heartbeatMs ?? 15_000);
  heartbeat.unref();

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    const agentLive = url.pathname === AGENT_LIVE_PATH ? deps.agentLive : undefined;
    if (url.pathname !== '/ws' && !agentLive) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (!accepting) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    if (agentLive) {
      await agentLive.upgrade(req, socket, head, url, (r) => refuse(socket, r.status, r.text));
      return;
    }
    const auth = await deps.sessions.authenticateParticipant(url.searchParams.get('token') ?? '', { observers: true });
    if (!auth) {
      deps.log.info('socket refused: unknown or expired token', { status: 401 });
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    // Everything this socket does from here is logged with its session.
    withLogContext({ sessionId: auth.session.id }, () => connect(req, socket, head, auth));
  }

  function connect(req: IncomingMessage, socket: Duplex, head: Buffer, auth: AuthenticatedParticipant): void {
    if (socket.destroyed) return;
    const key = auth.tokenHash;
    if ((openPerToken.get(key) ?? 0) >= maxPerToken) {
      deps.log.warn('socket refused: too many open sockets for one token', { status: 429, role: auth.role });
      refuse(socket, 429, 'Too Many Requests');
      return;
    }
    // Counted from here, not from the callback: upgrades of one token racing each other count too.
    openPerToken.set(key, (openPerToken.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (openPerToken.get(key) ?? 1) - 1;
      if (left > 0) openPerToken.set(key, left);
      else openPerToken.delete(key);
    };
    socket.once('close', release);
    const context = logContext();
    const who = { role: auth.role, ...(auth.observer ? { observer: true } : {}) };
    wss.handleUpgrade(req, socket, head, (ws) => {
      const opened = performance.now();
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      const socket = boundedSocket(ws, {
        sent: () => deps.frames?.out.inc(),
        dropped: () => deps.frames?.dropped?.inc(),
        tooFarBehind: (bytes) =>
          withLogContext(context, () => {
            deps.tooFarBehind?.inc();
            deps.log.warn('socket closed: it does not read what it is sent', { ...who, waitingKiB: Math.round(bytes / 1024) });
          }),
      });
      const conn = deps.hub.attach(deps.sessions.roomInfo(auth.session), auth.role, auth.tokenHash, socket, auth.observer);
      deps.log.info('socket opened', who);
      // ws emits from the connection's own async context: each handler re-enters the socket's.
      ws.on('message', (data, isBinary) =>
        withLogContext(context, () => {
          alive.set(ws, true);
          deps.frames?.in.inc();
          if (isBinary) {
            conn.receiveBinary();
            return;
          }
          const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
          const text = bytes.toString('utf8');
          conn.receive(text);
        }),
      );
      const helloTimer = setTimeout(() => {
        if (!conn.settled()) ws.close(CloseCode.helloTimeout, 'no hello');
      }, helloTimeoutMs);
      helloTimer.unref();
      ws.on('close', (code) =>
        withLogContext(context, () => {
          clearTimeout(helloTimer);
          release();
          conn.closed();
          deps.log.info('socket closed', { ...who, code, seconds: Math.round((performance.now() - opened) / 1000) });
          if (wss.clients.size === 0) onIdle?.();
        }),
      );
      ws.on('error', (err) => withLogContext(context, () => deps.log.warn(`websocket error: ${err.message}`)));
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      // Without a listener a reset during the async token check would crash the process.
      socket.on('error', () => socket.destroy());
      const requestId = saneRequestId(req.headers['x-request-id']) ?? randomUUID();
      withLogContext({ requestId }, () =>
        upgrade(req, socket, head).catch((err: unknown) => {
          deps.log.error('websocket upgrade failed', err);
          if (!socket.destroyed) refuse(socket, 500, 'Internal Server Error');
        }),
      );
    },
    openSockets: () => wss.clients.size + (deps.agentLive?.openSockets() ?? 0),
    backlogBytes() {
      let bytes = 0;
      for (const ws of wss.clients) bytes += ws.bufferedAmount;
      return bytes;
    },
    stopAccepting() {
      accepting = false;
    },
    drained(timeoutMs) {
      if (wss.clients.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          onIdle = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        onIdle = done;
      });
    },
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      deps.agentLive?.close();
    },
  };
}
