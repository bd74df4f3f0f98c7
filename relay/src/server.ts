import { hostname } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Express, RequestHandler } from 'express';
import type twilio from 'twilio';
import { createApp } from './app.js';
import { blobStoreFor } from './blobs/index.js';
import { joinCluster, type ClusterMembership } from './cluster/index.js';
import { missingHelpdeskError, type Config, type HelpdeskConfig } from './config/index.js';
import { databaseTarget } from './db/database.js';
import { openStorage } from './db/storage.js';
import { connectHelpdesk } from './connect-helpdesk.js';
import type { Logger } from './logger.js';
import type { InMemoryRoomHub } from './rooms/hub.js';
import { loggerFor } from './log/index.js';
import { databaseCheck, type ReadinessCheck } from './http/readiness.js';
import { DropReason, RelayMetrics, timedFetch } from './metrics/index.js';
import { loadRelaySecret } from './secret.js';
import { TwilioSmsSender } from './delivery/sms.js';
import { WritebackOutbox, type WritebackOutboxOptions } from './writeback/index.js';
import { TwilioMedia, type TwilioMediaDeps } from './media/twilio/index.js';
import type { SessionEvents } from './sessions/events.js';
import { privateDataDir } from './data-dir.js';

/**
 * A helpdesk the caller supplies instead of the configured one: the development entry point binds
 * the sandbox this way, so the relay itself never depends on it.
 */
export interface HelpdeskBinding {
  /** Zendesk (no `kind`, or `zendesk`) or Freshdesk (`kind: 'freshdesk'`). */
  config: HelpdeskConfig;
  /** Where the relay sends REST calls, when not config.baseUrl (a stand-in served by this process, on loopback). */
  apiBaseUrl?: string;
  /** Served before the relay's own routes (a stand-in's pages and API). */
  routers?: RequestHandler[];
  /** Called after the relay has stopped and before its storage closes. */
  close?(): void;
}

/** Where the server listens; a stand-in that links to the relay needs the real port. */
export interface Listening {
  url: string;
  port: number;
  /** The address given to listen(); undefined: all interfaces. */
  host: string | undefined;
}

export interface StartOptions {
  /** Overrides config.port (tests pass 0). */
  port?: number;
  /** Listen address; default all interfaces. */
  host?: string;
  /** Binds a helpdesk once the server listens, in place of config.helpdesk (required without it). */
  helpdesk?: (listening: Listening) => Promise<HelpdeskBinding>;
  /** Routes served before the relay's own. */
  extraRouters?: RequestHandler[];
  log?: Logger;
  /** Clock override for tests of expiry. */
  now?: () => number;
  heartbeatMs?: number;
  /** Tests: a shorter hello timeout. */
  helloTimeoutMs?: number;
  /** Tests: a shorter interval of the session expiry sweep. */
  expirySweepMs?: number;
  /** Tests: send Twilio REST calls to a local stand-in (`httpClient`), shorter retries. */
  twilio?: Omit<TwilioMediaDeps, 'logger'>;
  /** Tests: Twilio Messaging requests go to a local stand-in. */
  smsHttpClient?: twilio.RequestClient;
  /** Tests: outbox timing (backoff, settle, request timeout). */
  writeback?: Pick<WritebackOutboxOptions, 'backoff' | 'settleMs' | 'maxIdleMs' | 'leaseMs'> & {
    requestTimeoutMs?: number;
    vanishGraceMs?: number;
  };
  /** Tests: how soon a dead relay's sessions move (REDIS_URL set). */
  cluster?: { leaseMs?: number };
  /** Process figures (memory, CPU, event loop) in `/metrics`; default true (tests running many relays turn them off). */
  processMetrics?: boolean;
}

export interface RunningServer {
  /** Public origin (config.publicUrl, or http://localhost:<real port>). */
  url: string;
  /** Session starts/ends and media room events (see services/session-events.ts). */
  sessionEvents: SessionEvents;
  /** The express app serving every request (tests list the routes it mounts). */
  app: Express;
  /** The relay's logger (the entry points write their banner with it). */
  log: Logger;
  /** How long `shutdown()` keeps serving with `/readyz` at 503 before it stops (config.ops). */
  drainMs: number;
  /**
   * Graceful stop (SIGTERM): `/readyz` answers 503 for `drainMs` while everything else works, so
   * load balancers send new clients elsewhere; then as `close()`, except that requests and the
   * outbox's note request in flight get a few seconds to finish. `close()` meanwhile cuts it short.
   */
  shutdown(): Promise<void>;
  /** Stops now: sockets are told to reconnect elsewhere (1012), requests in flight are cut. */
  close(): Promise<void>;
}

/** What requests and the outbox's note request in flight get to finish in a graceful stop. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Long enough for clients to answer the 1012 closing frames. */
const SOCKET_GOODBYE_MS = 1_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

function listen(server: ReturnType<typeof createServer>, port: number, host?: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

/** Opens storage, listens, binds the helpdesk (configured or supplied), serves the relay. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  // Refused before anything is written: a relay without a helpdesk would serve no one.
  const configured = config.helpdesk;
  const bindHelpdesk = opts.helpdesk ?? (configured ? async (): Promise<HelpdeskBinding> => ({ config: configured }) : null);
  if (!bindHelpdesk) throw missingHelpdeskError(config.helpdeskKind);
  const log = opts.log ?? loggerFor(config.ops, process.stdout, process.stderr);
  const metrics = new RelayMetrics({ processMetrics: opts.processMetrics ?? true });
  let draining = false;
  const dataDir = resolve(config.dataDir);
  privateDataDir(dataDir);
  const secret = loadRelaySecret(config.relaySecret, dataDir);
  const storage = await openStorage(databaseTarget(config.databaseUrl ?? undefined, join(dataDir, 'relay.sqlite')));
  const blobs = blobStoreFor(storage.database, dataDir);

  // The public URL may depend on the port the OS picks, so listen first and compose after;
  // anything arriving in between gets a 503.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('starting\n');
  };
  const server = createServer((req, res) => handler(req, res));
  let binding: HelpdeskBinding | null = null;
  let relay: ReturnType<typeof createApp> | null = null;
  let outbox: WritebackOutbox | null = null;
  let cluster: ClusterMembership | null = null;

  try {
    const port = await listen(server, opts.port ?? config.port, opts.host);
    const url = config.publicUrl ?? `http://localhost:${port}`;
    binding = await bindHelpdesk({ url, port, host: opts.host });
    // The adapter and the note writer of the helpdesk the config (or the caller's binding) names.
    const { helpdesk, writer, origin } = connectHelpdesk(binding.config, {
      fetch: timedFetch(metrics.helpdesk),
      ...(storage.nameplateFieldMaps ? { nameplateFieldMaps: storage.nameplateFieldMaps } : {}),
      ...(binding.apiBaseUrl ? { apiBaseUrl: binding.apiBaseUrl } : {}),
      ...(opts.writeback?.requestTimeoutMs ? { requestTimeoutMs: opts.writeback.requestTimeoutMs } : {}),
    });
    const { requestTimeoutMs: _timeout, vanishGraceMs, ...outboxTiming } = opts.writeback ?? {};
    // A relay restarted on the same host and port takes its own unfinished notes back at once;
    // another relay waits for their leases to run out.
    const notes = new WritebackOutbox({
      database: storage.database,
      blobs,
      owner: `${hostname()}:${port}`,
      writer,
      logger: log,
      counters: { retries: metrics.outboxRetries, failures: metrics.outboxFailures },
      ...outboxTiming,
    });
    outbox = notes;
    metrics.watchOutbox(() => notes.depth());
    const member = config.redisUrl
      ? joinCluster({
          url: config.redisUrl,
          name: `${hostname()}:${port}`,
          log,
          dropped: () => metrics.framesDropped.inc({ reason: DropReason.busBacklog }),
          ...(opts.cluster ?? {}),
        })
      : null;
    cluster = member;
    if (member) metrics.watchBus(() => member.pendingBytes());
    // What this relay needs to serve a session.
    const readinessChecks: ReadinessCheck[] = [databaseCheck(storage.database)];
    if (member) readinessChecks.push({ name: 'redis', check: () => member.ping() });
    relay = createApp({
      config,
      publicUrl: url,
      storage,
      blobs,
      helpdesk,
      secret,
      extraRouters: [...(binding.routers ?? []), ...(opts.extraRouters ?? [])],
      helpdeskOrigins: [origin],
      log,
      now: opts.now,
      heartbeatMs: opts.heartbeatMs,
      helloTimeoutMs: opts.helloTimeoutMs,
      expirySweepMs: opts.expirySweepMs,
      twilio: config.twilio ? new TwilioMedia(config.twilio, { ...opts.twilio, logger: log, calls: metrics.twilio }) : null,
      writeback: { outbox: notes, ...(vanishGraceMs === undefined ? {} : { vanishGraceMs }) },
      sms: config.sms
        ? new TwilioSmsSender(config.sms, { calls: metrics.twilio, ...(opts.smsHttpClient ? { httpClient: opts.smsHttpClient } : {}) })
        : null,
      metrics,
      readiness: { draining: () => draining, checks: readinessChecks },
      ...(member ? { rooms: (local: InMemoryRoomHub) => member.rooms(local) } : {}),
    });
    const { app, handleUpgrade } = relay;
    handler = app;
    server.on('upgrade', handleUpgrade);
    outbox.start();
    await relay.callNotes?.resume();

    const running = relay;
    let closing: Promise<void> | null = null;
    let endDrain: (() => void) | null = null;
    let shuttingDown: Promise<void> | null = null;
    /** Stops serving; `graceMs` is what requests and the note request in flight get to finish. */
    const stop = (graceMs: number): Promise<void> =>
      (closing ??= (async () => {
        draining = true;
        const deadline = Date.now() + graceMs;
        const left = () => Math.max(0, deadline - Date.now());
        // No new connections; idle keep-alive ones go now, busy ones once their response is out.
        const closed = new Promise<void>((resolveClosed) => server.close(() => resolveClosed()));
        server.closeIdleConnections();
        await running.disconnectClients(Math.max(SOCKET_GOODBYE_MS, left()));
        running.close();
        await member?.close();
        await Promise.race([closed, delay(left())]);
        server.closeAllConnections();
        await closed;
        // Notes being prepared finish, the outbox's request gets what is left of the grace (then it
        // is interrupted and stays due for any relay), then the database closes.
        await running.callNotes?.close();
        await running.retention?.stop();
        await notes.stop(left());
        binding?.close?.();
        await storage.close();
      })());
    return {
      url,
      sessionEvents: relay.sessionEvents,
      app,
      log,
      drainMs: config.ops.shutdownDrainMs,
      shutdown() {
        shuttingDown ??= (async () => {
          if (!closing) {
            draining = true;
            log.info('draining: /readyz answers 503 from now on', { seconds: config.ops.shutdownDrainMs / 1000 });
            await new Promise<void>((resolveDrain) => {
              const timer = setTimeout(resolveDrain, config.ops.shutdownDrainMs);
              endDrain = () => {
                clearTimeout(timer);
                resolveDrain();
              };
            });
          }
          await stop(SHUTDOWN_GRACE_MS);
        })();
        return shuttingDown;
      },
      close() {
        const stopping = stop(0);
        endDrain?.();
        return stopping;
      },
    };
  } catch (err) {
    relay?.close();
    await cluster?.close();
    await outbox?.stop();
    binding?.close?.();
    server.close();
    await storage.close();
    throw err;
  }
}
