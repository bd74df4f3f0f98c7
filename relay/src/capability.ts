import type { Router } from 'express';
import type { Config } from './config/index.js';
import type { SchemaOwner } from './db/migrate.js';
import type { Storage } from './db/repository.js';
import type { SmsSender } from './delivery/sms.js';
import type { Helpdesk } from './helpdesk/types.js';
import type { Logger } from './logger.js';
import type { SessionMedia } from './media/session-media.js';
import type { TwilioMedia } from './media/twilio/index.js';
import type { AuditDeps } from './privacy/index.js';
import type { AnyRoomFeatureFactory } from './rooms/feature.js';
import type { SessionService } from './sessions/service.js';
import type { UploadService } from './uploads/index.js';
import type { CallNotes } from './writeback/call-notes.js';

/** What every capability's room feature may use; built before the rooms exist. */
export interface FeatureServices {
  storage: Storage;
  uploads: UploadService;
  /** The audit log, when the storage keeps one. */
  audit: AuditDeps | null;
  /** The ticket write-back, when the relay writes notes. */
  callNotes: CallNotes | null;
  now: () => number;
  log: Logger;
}

/** What every capability's routes may use; built once the rooms and sessions exist. */
export interface RelayServices extends FeatureServices {
  config: Pick<Config, 'zendeskAppDir' | 'customerWebDir' | 'branding'>;
  publicUrl: string;
  /** Signs what the relay hands out and checks later (console links). */
  secret: Uint8Array;
  helpdesk: Helpdesk;
  sessions: SessionService;
  media: SessionMedia;
  twilio: TwilioMedia | null;
  /** Invite links by SMS; null: the sidebar does not offer it. */
  sms: SmsSender | null;
}

/**
 * One capability of the relay (sessions, chat, uploads, …) as one bundle: the tables it owns with
 * their migrations, its part of every session's room, and its HTTP routes. The relay is built from
 * one list of these (`capabilities.ts`); adding a feature is one folder and one line there.
 */
export interface Capability {
  readonly name: string;
  /** Its tables; the migration history is kept under the schema's name. */
  readonly schema?: SchemaOwner;
  /** Its part of every session's room; null when it has none in this relay (e.g. no write-back). */
  roomFeature?(services: FeatureServices): AnyRoomFeatureFactory | null;
  /** Its routes, mounted in list order before the relay's error handler. */
  routes?(services: RelayServices): Router | null;
}
