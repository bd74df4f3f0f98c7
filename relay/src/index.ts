export {
  loadConfig,
  ConfigError,
  missingHelpdeskError,
  HelpdeskKind,
  type Config,
  type HelpdeskConfig,
  type ZendeskConfig,
  type FreshdeskConfig,
  type BrandingConfig,
} from './config/index.js';
export { createApp, type AppDeps, type RelayApp } from './app.js';
export { startServer, type StartOptions, type RunningServer, type HelpdeskBinding, type Listening } from './server.js';
export { runAsMain, type Started } from './run-main.js';
export type { AppBoot, AppLocation } from './sessions/app-routes.js';
export type { Storage } from './db/repository.js';
export { openStorage, storageOn, SCHEMAS } from './db/storage.js';
export { openDatabase, databaseTarget, Engine, type Database, type DatabaseTarget } from './db/database.js';
export { migrate, type Migration, type SchemaOwner } from './db/migrate.js';
export { blobStoreFor, localBlobs, databaseBlobs, BlobKeyError, type BlobStore } from './blobs/index.js';
export type { Helpdesk, HelpdeskTicket, AgentIdentity } from './helpdesk/types.js';
export { ZendeskHelpdesk } from './helpdesk/zendesk.js';
export { Room, type RoomSocket, type RoomConnection } from './rooms/room.js';
export { InMemoryRoomHub, type RoomHub } from './rooms/hub.js';
export type {
  AnyRoomFeature,
  AnyRoomFeatureFactory,
  FeatureRoom,
  FeatureSender,
  FrameOf,
  RoomFeature,
  RoomFeatureFactory,
} from './rooms/feature.js';
export { SessionEvents, type SessionEventMap, type SessionEventName } from './sessions/events.js';
