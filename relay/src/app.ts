import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { Router } from 'express';
import type { BlobStore } from './blobs/index.js';
import type { Config } from './config/index.js';
import type { Storage } from './db/repository.js';
import type { Helpdesk } from './helpdesk/types.js';
import { apiErrorHandler, sendApiError } from './http/api-errors.js';
import { securityHeaders } from './http/security-headers.js';
import { databaseCheck, readinessRouter, type Readiness } from './http/readiness.js';
import { requestContext } from './http/request-context.js';
import { DropReason, metricsRouter, RelayMetrics } from './metrics/index.js';
import { messagePage } from './http/pages.js';
import { SessionMedia } from './media/session-media.js';
import type { TwilioMedia } from './media/twilio/index.js';
import { SessionEvents } from './sessions/events.js';
import { consoleLogger, type Logger } from './logger.js';
import type { AnyRoomFeatureFactory } from './rooms/feature.js';
import { UploadService } from './uploads/index.js';
import { InMemoryRoomHub, type RoomHub } from './rooms/hub.js';
import { SessionService } from './sessions/service.js';
import { createSocketGateway } from './ws/gateway.js';
import { createAgentLive } from './agent-live/feed.js';
import { agentLiveRoutes } from './agent-live/routes.js';
import { LiveTokens } from './agent-live/token.js';
import type { SmsSender } from './delivery/sms.js';
import type { CallNotes } from './writeback/call-notes.js';
import { createCallNotes, listenForEnds, type WritebackDeps } from './writeback/wiring.js';
import { auditSessionEvents, RetentionSweeper, retentionIntervalMs, type Scheduler } from './privacy/index.js';
import { CAPABILITIES } from './capabilities.js';
import type { Capability, FeatureServices, RelayServices } from './capability.js';

export interface AppDeps {
  config: Pick<Config, 'inviteTtlHours' | 'branding' | 'iceServers' | 'zendeskAppDir' | 'customerWebDir'> &
    Partial<Pick<Config, 'mediaMode' | 'uploadQuota' | 'privacy' | 'trustProxy' | 'ops'>>;
  /** Resolved public origin, no trailing slash (invite links and the app boot use it). */
  publicUrl: string;
  storage: Storage;
  /** Every file kept for a session (photos, transcripts); chosen with the storage (`blobStoreFor`). */
  blobs: BlobStore;
  helpdesk: Helpdesk;
  /** Keys derived tokens; must stay the same across restarts or old invite links change. */
  secret: Uint8Array;
  /** Mounted after the relay's routes and before its 404 (the sandbox in sandbox mode). */
  extraRouters?: (Router | express.RequestHandler)[];
  /** Rooms shared with other relays (REDIS_URL): built around this relay's own. Default: its own. */
  rooms?: (local: InMemoryRoomHub) => RoomHub;
  /** Built from `config.twilio` by the server (tests inject one aimed at a local Twilio stand-in). */
  twilio?: TwilioMedia | null;
  /** The relay's capabilities (default: all of them, `capabilities.ts`). */
  capabilities?: readonly Capability[];
  /** Room features besides the capabilities' own (tests). */
  roomFeatures?: AnyRoomFeatureFactory[];
  /** The ticket write-back (call notes through the persistent outbox); absent: no notes. */
  writeback?: WritebackDeps;
  /** Invite links by SMS; null/absent: the sidebar does not offer it. */
  sms?: SmsSender | null;
  log?: Logger;
  now?: () => number;
  heartbeatMs?: number;
  /** A socket that has not said hello by then is closed (default 10 s). */
  helloTimeoutMs?: number;
  /** Origins allowed to frame the app pages (the helpdesk's). */
  helpdeskOrigins?: string[];
  /** How often expired sessions are ended (their tokens are refused from the expiry on). Default 5 s. */
  expirySweepMs?: number;
  /** Tests: drive the retention sweep's timer. */
  retentionScheduler?: Scheduler;
  /** Served at `/metrics`; the server shares it with the helpdesk, Twilio and the outbox. Default: a fresh one. */
  metrics?: RelayMetrics;
  /** `/readyz`: default, the database check and never draining. */
  readiness?: Partial<Readiness>;
}

export interface RelayApp {
  app: express.Express;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Session starts/ends and media room events; subscribe here (e.g. the ticket write-back). */
  sessionEvents: SessionEvents;
  /** Stored photos/stills/snapshots and their signed URLs (the write-back reads originals here). */
  uploads: UploadService;
  /** Enqueues call notes; the server awaits `close()` before stopping the outbox. */
  callNotes: CallNotes | null;
  /** The retention sweep (config.privacy set and storage with privacy); the server awaits `stop()`. */
  retention: RetentionSweeper | null;
  metrics: RelayMetrics;
  /**
   * Shutdown: refuses new sockets, closes every open one with 1012 (reconnect elsewhere) and waits
   * up to `timeoutMs` for their closing handshakes.
   */
  disconnectClients(timeoutMs: number): Promise<void>;
  /** Drops live sockets and timers; storage belongs to the caller. */
  close(): void;
}

export function createApp(deps: AppDeps): RelayApp {
  const log = deps.log ?? consoleLogger;
  const now = deps.now ?? Date.now;
  const capabilities = deps.capabilities ?? CAPABILITIES;
  const { config } = deps;
  const metrics = deps.metrics ?? new RelayMetrics();
  const sessionEvents = new SessionEvents(log);
  const privacy = deps.storage.privacy ?? null;
  const audit = privacy ? { repo: privacy, sessions: deps.storage.sessions, now: now, log } : null;
  if (audit) auditSessionEvents(sessionEvents, audit);
  const retention =
    privacy && config.privacy
      ? new RetentionSweeper({
          repo: privacy,
          blobs: deps.blobs,
          policy: config.privacy,
          now: now,
          log,
          intervalMs: retentionIntervalMs(config.privacy),
          ...(deps.retentionScheduler ? { scheduler: deps.retentionScheduler } : {}),
        })
      : null;
  const uploads = new UploadService({
    repo: deps.storage.uploads,
    blobs: deps.blobs,
    secret: deps.secret,
    publicUrl: deps.publicUrl,
    now: now,
    quota: config.uploadQuota,
    received: metrics.uploadBytes,
  });
  // Read at each welcome, so the hub is built before `media` exists.
  let media: SessionMedia | null = null;
  const callNotes = deps.writeback
    ? createCallNotes(deps.writeback, {
        storage: deps.storage,
        helpdesk: deps.helpdesk,
        blobs: deps.blobs,
        // A side vanished past the grace period: the call is over for everyone.
        endSession: async (sessionId, reason, at) => {
          await deps.storage.sessions.end(sessionId, at, reason);
          await hub.endSession(sessionId, reason);
          sessionEvents.emit('ended', { sessionId, reason, at });
        },
        now: now,
        log,
      })
    : null;
  const featureServices: FeatureServices = { storage: deps.storage, uploads, audit, callNotes, now, log };
  const localRooms = new InMemoryRoomHub({
    media: (sessionId) => media?.mediaFor(sessionId) ?? { mode: 'p2p', iceServers: config.iceServers },
    exitUrl: config.branding.exitUrl,
    onObserver: (sessionId, event, observer) => {
      sessions.recordObserver(sessionId, event, observer).catch((err: unknown) => log.error('observer audit write failed', err));
    },
    features: [...capabilities.flatMap((c) => c.roomFeature?.(featureServices) ?? []), ...(deps.roomFeatures ?? [])],
    onFanOut: (ms) => metrics.fanOutSeconds.observe(ms / 1000),
  });
  const hub = deps.rooms?.(localRooms) ?? localRooms;
  const sessions = new SessionService({
    storage: deps.storage,
    helpdesk: deps.helpdesk,
    hub,
    secret: deps.secret,
    publicUrl: deps.publicUrl,
    inviteTtlMs: config.inviteTtlHours * 60 * 60 * 1000,
    branding: config.branding,
    now: now,
    events: sessionEvents,
  });
  if (callNotes) listenForEnds(callNotes, sessionEvents);
  const twilio = deps.twilio ?? null;
  media = new SessionMedia({
    mode: config.mediaMode ?? 'p2p',
    twilio,
    staticIceServers: config.iceServers,
    storage: deps.storage,
    hub,
    events: sessionEvents,
    log,
    now: now,
  });
  const liveTokens = new LiveTokens(deps.secret, now);
  const agentLive = createAgentLive({
    sessions,
    tokens: liveTokens,
    agentByHash: async (tokenHash) => {
      const agent = await deps.storage.agentSessions.findByHash(tokenHash);
      return agent && agent.expiresAt > now() ? agent : null;
    },
    events: sessionEvents,
    noteStatus: async (sessionId) => (callNotes ? callNotes.noteStatus(sessionId) : null),
    log,
  });
  const gateway = createSocketGateway({
    sessions,
    hub,
    agentLive,
    log,
    heartbeatMs: deps.heartbeatMs,
    helloTimeoutMs: deps.helloTimeoutMs,
    frames: {
      in: metrics.framesIn,
      out: metrics.framesOut,
      dropped: { inc: () => metrics.framesDropped.inc({ reason: DropReason.socketBacklog }) },
    },
    tooFarBehind: metrics.socketsTooFarBehind,
  });
  metrics.watchLive({
    liveSessions: () => hub.liveSessionIds().length,
    openSockets: () => gateway.openSockets(),
    socketBacklogBytes: () => gateway.backlogBytes(),
  });
  // A sweep rather than a timer per session: it survives restarts and is safe with several relays.
  let sweeping = false;
  const expirySweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sessions
      .expireDue()
      .catch((error: unknown) => log.error('session expiry sweep failed', error))
      .finally(() => {
        sweeping = false;
      });
  }, deps.expirySweepMs ?? 5_000);
  expirySweep.unref();

  const app = express();
  app.disable('x-powered-by');
  // req.ip: the TCP peer, or what the configured proxies say (guessed invite links are counted per client).
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(requestContext(log));
  app.use(securityHeaders({ publicUrl: deps.publicUrl, helpdeskOrigins: deps.helpdeskOrigins ?? [], twilioVideo: twilio !== null }));

  // The relay's own routes carry their own error handler: errors must not fall through to a
  // router mounted after them (the sandbox handles errors its own, Zendesk-shaped, way).
  const relay = Router();
  // Liveness only: answers while the process can serve at all, whatever its dependencies do.
  relay.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  relay.use(
    readinessRouter(
      {
        draining: deps.readiness?.draining ?? (() => false),
        checks: deps.readiness?.checks ?? [databaseCheck(deps.storage.database)],
        ...(deps.readiness?.timeoutMs ? { timeoutMs: deps.readiness.timeoutMs } : {}),
      },
      log,
    ),
  );
  relay.use(metricsRouter(metrics, config.ops?.metricsToken ?? null));
  relay.use(agentLiveRoutes({ sessions, tokens: liveTokens }));
  const services: RelayServices = {
    ...featureServices,
    config,
    publicUrl: deps.publicUrl,
    secret: deps.secret,
    helpdesk: deps.helpdesk,
    sessions,
    media,
    twilio,
    sms: deps.sms ?? null,
  };
  for (const capability of capabilities) {
    const routes = capability.routes?.(services);
    if (routes) relay.use(routes);
  }
  relay.use(apiErrorHandler(log));
  app.use(relay);
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use('/api', (_req, res) => {
    sendApiError(res, 404, 'not-found', 'No such API endpoint.');
  });
  app.use((_req, res) => {
    res.status(404).type('html').send(messagePage('Not found', 'There is nothing at this address.'));
  });
  app.use(apiErrorHandler(log));
  retention?.start();

  return {
    app,
    handleUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    sessionEvents,
    uploads,
    callNotes,
    retention,
    metrics,
    async disconnectClients(timeoutMs) {
      gateway.stopAccepting();
      hub.close();
      await gateway.drained(timeoutMs);
    },
    close() {
      clearInterval(expirySweep);
      void retention?.stop();
      media?.close();
      // The rooms first: their sockets get a closing frame (1012) before any is cut.
      hub.close();
      gateway.close();
    },
  };
}
