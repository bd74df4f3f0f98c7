import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { Router } from 'express';
import type { Config } from './config.js';
import type { Storage } from './db/repository.js';
import type { Helpdesk } from './helpdesk/types.js';
import { apiErrorHandler, sendApiError } from './http/api-errors.js';
import { apiRoutes } from './http/api-routes.js';
import { appRoutes } from './http/app-routes.js';
import { distFolder } from './http/dist-files.js';
import { joinRoutes } from './http/join-routes.js';
import { messagePage } from './http/pages.js';
import { consoleLogger, type Logger } from './logger.js';
import type { RoomFeatureFactory } from './rooms/feature.js';
import { InMemoryRoomHub, type RoomHub } from './rooms/hub.js';
import { SessionService } from './services/sessions.js';
import { createSocketGateway } from './ws/gateway.js';

export interface AppDeps {
  config: Pick<Config, 'inviteTtlHours' | 'branding' | 'iceServers' | 'zendeskAppDir' | 'customerWebDir'>;
  /** Resolved public origin, no trailing slash (invite links and the app boot use it). */
  publicUrl: string;
  storage: Storage;
  helpdesk: Helpdesk;
  /** Keys derived tokens; must stay the same across restarts or old invite links change. */
  secret: Uint8Array;
  /** Mounted after the relay's routes and before its 404 (the sandbox in sandbox mode). */
  extraRouters?: Router[];
  hub?: RoomHub;
  /** Session features (chat, annotations, …) each Room is built with. */
  roomFeatures?: RoomFeatureFactory[];
  log?: Logger;
  now?: () => number;
  heartbeatMs?: number;
}

export interface RelayApp {
  app: express.Express;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops live sockets and timers; storage belongs to the caller. */
  close(): void;
}

export function createApp(deps: AppDeps): RelayApp {
  const log = deps.log ?? consoleLogger;
  const { config } = deps;
  const hub =
    deps.hub ??
    new InMemoryRoomHub({
      media: () => ({ mode: 'p2p', iceServers: config.iceServers }),
      exitUrl: config.branding.exitUrl,
      features: deps.roomFeatures ?? [],
    });
  const sessions = new SessionService({
    storage: deps.storage,
    helpdesk: deps.helpdesk,
    hub,
    secret: deps.secret,
    publicUrl: deps.publicUrl,
    inviteTtlMs: config.inviteTtlHours * 60 * 60 * 1000,
    branding: config.branding,
    now: deps.now ?? Date.now,
  });
  const gateway = createSocketGateway({ sessions, hub, log, heartbeatMs: deps.heartbeatMs });

  const app = express();
  app.disable('x-powered-by');

  // The relay's own routes carry their own error handler: errors must not fall through to a
  // router mounted after them (the sandbox handles errors its own, Zendesk-shaped, way).
  const relay = Router();
  relay.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  relay.use(appRoutes({ sessions, helpdesk: deps.helpdesk, dist: distFolder(config.zendeskAppDir), publicUrl: deps.publicUrl, log }));
  relay.use(joinRoutes({ sessions, dist: distFolder(config.customerWebDir) }));
  relay.use(apiRoutes(sessions));
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

  return {
    app,
    handleUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    close() {
      gateway.close();
      hub.close();
    },
  };
}
