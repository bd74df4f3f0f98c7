import { hostname } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { RequestHandler, Router } from 'express';
import type twilio from 'twilio';
import { createApp } from './app.js';
import type { Config, HelpdeskConfig } from './config.js';
import { databaseTarget } from './db/database.js';
import { openStorage } from './db/storage.js';
import { ZendeskHelpdesk } from './helpdesk/zendesk.js';
import { consoleLogger, type Logger } from './logger.js';
import { loadRelaySecret } from './secret.js';
import { TwilioSmsSender } from './delivery/sms.js';
import { WritebackOutbox, ZendeskNoteWriter, type WritebackOutboxOptions } from './writeback/index.js';
import { TwilioMedia, type TwilioMediaDeps } from './media/twilio/index.js';
import type { SessionEvents } from './services/session-events.js';
import { privateDataDir } from './data-dir.js';

export interface StartOptions {
  /** Overrides config.port (tests pass 0). */
  port?: number;
  /** Listen address; default all interfaces. */
  host?: string;
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
  writeback?: Pick<WritebackOutboxOptions, 'backoff' | 'settleMs' | 'maxIdleMs'> & { requestTimeoutMs?: number; vanishGraceMs?: number };
}

export interface RunningServer {
  /** Public origin (config.publicUrl, or http://localhost:<real port>). */
  url: string;
  /** Whether the local helpdesk sandbox is mounted. */
  sandbox: boolean;
  /** Sandbox mode: its REST API credentials (Basic `{email}/token:{apiToken}`), for tests and tools. */
  sandboxCredentials: { email: string; apiToken: string } | null;
  /** Session starts/ends and media room events (see services/session-events.ts). */
  sessionEvents: SessionEvents;
  close(): Promise<void>;
}

interface SandboxHandle {
  router: Router;
  helpdesk: HelpdeskConfig;
  close(): void;
}

/** Loaded only in sandbox mode, so a production relay never imports development code. */
async function startSandbox(dataDir: string, publicUrl: string): Promise<SandboxHandle> {
  const { createSandbox } = await import('@live-assist/sandbox');
  const sandbox = await createSandbox({
    dbPath: join(dataDir, 'sandbox.sqlite'),
    publicUrl,
    appUrl: `${publicUrl}/app`,
  });
  const h = sandbox.helpdesk;
  return {
    router: sandbox.router,
    helpdesk: {
      baseUrl: h.baseUrl.replace(/\/+$/, ''),
      email: h.email,
      apiToken: h.apiToken,
      appId: h.appId,
      installationId: h.installationId,
    },
    close: () => sandbox.close(),
  };
}

/**
 * The sandbox answers only requests addressed to a loopback name or the public URL's host, so a
 * page on another site cannot reach it through DNS rebinding.
 */
function sandboxHostGuard(publicUrl: string): RequestHandler {
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]', new URL(publicUrl).hostname]);
  return (req, res, next) => {
    if (!req.path.startsWith('/sandbox') && !req.path.startsWith('/api/v2')) return next();
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (allowed.has(hostname)) return next();
    res.status(403).type('text/plain').send('The sandbox answers on localhost only.\n');
  };
}

function loopbackHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: ReturnType<typeof createServer>, port: number, host?: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

/** Opens storage, listens, mounts the sandbox when no helpdesk is configured, serves the relay. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? consoleLogger;
  const dataDir = resolve(config.dataDir);
  privateDataDir(dataDir);
  const secret = loadRelaySecret(config.relaySecret, dataDir);
  const storage = await openStorage(databaseTarget(config.databaseUrl ?? undefined, join(dataDir, 'relay.sqlite')));

  // The public URL may depend on the port the OS picks, so listen first and compose after;
  // anything arriving in between gets a 503.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('starting\n');
  };
  const server = createServer((req, res) => handler(req, res));
  let sandbox: SandboxHandle | null = null;
  let relay: ReturnType<typeof createApp> | null = null;
  let outbox: WritebackOutbox | null = null;

  try {
    // The sandbox hands out agent sign-ins to whoever opens it: loopback only unless asked otherwise.
    const host = opts.host ?? (config.helpdesk === null ? config.sandboxHost : undefined);
    const port = await listen(server, opts.port ?? config.port, host);
    const url = config.publicUrl ?? `http://localhost:${port}`;
    if (config.helpdesk === null) sandbox = await startSandbox(dataDir, url);
    const helpdeskConfig = config.helpdesk ?? sandbox!.helpdesk;
    // Same code against Zendesk and the sandbox; the sandbox's comment pages link to its public URL,
    // and the writer follows only links on its own base URL.
    const writer = new ZendeskNoteWriter({
      baseUrl: helpdeskConfig.baseUrl,
      auth: helpdeskConfig.oauthToken
        ? { kind: 'oauth', accessToken: helpdeskConfig.oauthToken }
        : { kind: 'api_token', email: helpdeskConfig.email, apiToken: helpdeskConfig.apiToken },
      ...(opts.writeback?.requestTimeoutMs ? { requestTimeoutMs: opts.writeback.requestTimeoutMs } : {}),
    });
    const { requestTimeoutMs: _timeout, vanishGraceMs, ...outboxTiming } = opts.writeback ?? {};
    // A relay restarted on the same host and port takes its own unfinished notes back at once;
    // another relay waits for their leases to run out.
    outbox = new WritebackOutbox({ database: storage.database, owner: `${hostname()}:${port}`, writer, logger: log, ...outboxTiming });
    relay = createApp({
      config,
      publicUrl: url,
      storage,
      helpdesk: new ZendeskHelpdesk(helpdeskConfig, sandbox ? { apiBaseUrl: `http://${loopbackHost(host)}:${port}` } : {}),
      secret,
      extraRouters: sandbox ? [sandboxHostGuard(url), sandbox.router] : [],
      helpdeskOrigins: [new URL(helpdeskConfig.baseUrl).origin],
      log,
      now: opts.now,
      heartbeatMs: opts.heartbeatMs,
      helloTimeoutMs: opts.helloTimeoutMs,
      expirySweepMs: opts.expirySweepMs,
      twilio: config.twilio ? new TwilioMedia(config.twilio, { ...opts.twilio, logger: log }) : null,
      writeback: {
        outbox,
        filesDir: join(dataDir, 'writeback'),
        ...(vanishGraceMs === undefined ? {} : { vanishGraceMs }),
      },
      sms: config.sms ? new TwilioSmsSender(config.sms, opts.smsHttpClient ? { httpClient: opts.smsHttpClient } : {}) : null,
    });
    const { app, handleUpgrade } = relay;
    handler = app;
    server.on('upgrade', handleUpgrade);
    outbox.start();
    await relay.callNotes?.resume();

    let closing: Promise<void> | null = null;
    return {
      url,
      sandbox: sandbox !== null,
      sandboxCredentials: sandbox ? { email: sandbox.helpdesk.email, apiToken: sandbox.helpdesk.apiToken } : null,
      sessionEvents: relay.sessionEvents,
      close() {
        closing ??= new Promise<void>((resolveClose) => {
          relay?.close();
          server.close(() => {
            // Notes being prepared finish, the outbox interrupts its request (it stays due), then the db closes.
            void (async () => {
              await relay?.callNotes?.close();
              await relay?.retention?.stop();
              await outbox?.stop();
              sandbox?.close();
              await storage.close();
              resolveClose();
            })();
          });
          server.closeAllConnections();
        });
        return closing;
      },
    };
  } catch (err) {
    relay?.close();
    await outbox?.stop();
    sandbox?.close();
    server.close();
    await storage.close();
    throw err;
  }
}
