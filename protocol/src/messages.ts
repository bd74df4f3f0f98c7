import { z } from 'zod';
import { CustomerStageSchema, RoleSchema, SessionIdSchema, StageDetailSchema } from './common.js';
import { IceServerSchema, SdpSchema, SignalSchema } from './signaling.js';
import { annotationsClientFrames, annotationsRelayFrames } from './features/annotations.js';
import { anchorsClientFrames, anchorsRelayFrames } from './features/anchors.js';
import { cameraClientFrames, cameraRelayFrames } from './features/camera.js';
import { qualityClientFrames, qualityRelayFrames } from './features/quality.js';
import { chatClientFrames, chatRelayFrames } from './features/chat.js';
import { journeyClientFrames, journeyRelayFrames } from './features/journey.js';
import { nameplateClientFrames, nameplateRelayFrames } from './features/nameplate.js';
import { watchClientFrames, watchRelayFrames } from './features/watch.js';

/**
 * Frames on the collaboration WebSocket, split by direction and keyed on `type`.
 * The participant token travels in the upgrade URL (`/ws?token=`), so an unauthenticated
 * socket never opens; `hello` then pins the protocol version.
 */

// ---------- client → relay ----------

/**
 * Names one page (one `RelaySocket`) for its whole life, across every reconnect of its socket; a
 * reload or a second device makes a new one. Random, chosen by the client: it lets the other side
 * tell "the same page, back on a new socket" (keep the peer connection that still carries media)
 * from "another page" (negotiate afresh). It is no credential: the participant token is.
 */
export const InstanceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const HelloSchema = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int(),
  /** Optional: a client without it is treated as a new page on every connection, as before. */
  instanceId: InstanceIdSchema.optional(),
});

export const SignalFrameSchema = z.object({
  type: z.literal('signal'),
  signal: SignalSchema,
});

/**
 * Specialist, P2P: an offer made ahead, complete with its candidates, for the relay to hand to the
 * next customer connection right after its welcome (as a `signal` from this connection), so the
 * customer answers without waiting for the specialist to hear of it. Kept only while no customer
 * is connected and only for this connection; a newer one replaces it, `sdp: null` takes it back.
 */
export const OfferAheadFrameSchema = z.object({
  type: z.literal('offer-ahead'),
  id: z.string().min(1).max(64),
  sdp: SdpSchema.nullable(),
  /** The page the specialist keeps a pair with: back on a new socket, it keeps that pair and takes no offer. */
  notFor: InstanceIdSchema.optional(),
});

export const MediaStateSchema = z.object({
  camera: z.boolean(),
  microphone: z.boolean(),
});
export type MediaState = z.infer<typeof MediaStateSchema>;

export const MediaStateFrameSchema = z.object({
  type: z.literal('media-state'),
  media: MediaStateSchema,
});

/** Customer reports its progress through the journey (permissions granted/denied, in call). */
export const StageFrameSchema = z.object({
  type: z.literal('stage'),
  stage: CustomerStageSchema,
  detail: StageDetailSchema.optional(),
});

export const PingSchema = z.object({ type: z.literal('ping'), t: z.number() });

export const ClientToRelaySchema = z.discriminatedUnion('type', [
  HelloSchema,
  SignalFrameSchema,
  OfferAheadFrameSchema,
  MediaStateFrameSchema,
  StageFrameSchema,
  PingSchema,
  ...chatClientFrames,
  ...annotationsClientFrames,
  ...anchorsClientFrames,
  ...journeyClientFrames,
  ...watchClientFrames,
  ...cameraClientFrames,
  ...qualityClientFrames,
  ...nameplateClientFrames,
]);
export type ClientToRelay = z.infer<typeof ClientToRelaySchema>;

// ---------- relay → client ----------

export const ParticipantStateSchema = z.object({
  role: RoleSchema,
  /** Changes every time that role's socket is replaced (reload, reconnect from a new page). */
  connectionId: z.string().nullable(),
  /**
   * The page behind `connectionId` (its hello's `instanceId`): unchanged when the same page came back
   * on a new socket. Absent while nobody is connected and for a client that sent none.
   */
  instanceId: InstanceIdSchema.optional(),
  connected: z.boolean(),
  displayName: z.string().max(200),
  media: MediaStateSchema,
  stage: CustomerStageSchema.optional(),
  stageDetail: StageDetailSchema.optional(),
});
export type ParticipantState = z.infer<typeof ParticipantStateSchema>;

export const MediaConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('p2p'), iceServers: z.array(IceServerSchema) }),
  z.object({ mode: z.literal('twilio'), roomName: z.string() }),
]);
export type MediaConfig = z.infer<typeof MediaConfigSchema>;

/**
 * Another agent of the account watching the call (POST /api/sessions/:id/observe). Observers hold
 * no seat: they receive what the specialist sees and may send nothing but `hello`, `ping`, requests
 * to re-read state and, in P2P mode, the `watch-*` frames that bring them the picture.
 */
export const ObserverSchema = z.object({
  /** Stable per observer for the session (not a secret): keys lists in the clients. */
  id: z.string().max(64),
  displayName: z.string().max(200),
});
export type Observer = z.infer<typeof ObserverSchema>;

export const WelcomeSchema = z.object({
  type: z.literal('welcome'),
  protocolVersion: z.number().int(),
  sessionId: SessionIdSchema,
  role: RoleSchema,
  /** True on an observer's socket; `role` is then `specialist`, whose view it mirrors. */
  observer: z.boolean().optional(),
  connectionId: z.string(),
  media: MediaConfigSchema,
  participants: z.array(ParticipantStateSchema),
});

export const ParticipantFrameSchema = z.object({
  type: z.literal('participant'),
  participant: ParticipantStateSchema,
});

export const RelayedSignalSchema = z.object({
  type: z.literal('signal'),
  from: RoleSchema,
  /** The sender's connectionId, so a stale peer's late signals can be ignored. */
  fromConnectionId: z.string(),
  signal: SignalSchema,
});

/** To the specialist: its offer made ahead went to the customer connection `by` (before that connection's `participant`). */
export const OfferAheadTakenSchema = z.object({
  type: z.literal('offer-ahead-taken'),
  id: z.string().max(64),
  by: z.string(),
});

/** Who is watching the call now: sent to everyone after each welcome and on every change. */
export const ObserversFrameSchema = z.object({
  type: z.literal('observers'),
  observers: z.array(ObserverSchema).max(50),
});

export const SessionEndedSchema = z.object({
  type: z.literal('session-ended'),
  reason: z.enum(['ended-by-specialist', 'ended-by-customer', 'expired']),
  redirectUrl: z.string().url().optional(),
});

export const ErrorCode = {
  badFrame: 'bad-frame',
  frameTooLarge: 'frame-too-large',
  unsupportedVersion: 'unsupported-version',
  helloRequired: 'hello-required',
  forbidden: 'forbidden',
  noPeer: 'no-peer',
  rateLimited: 'rate-limited',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.enum([
    ErrorCode.badFrame,
    ErrorCode.frameTooLarge,
    ErrorCode.unsupportedVersion,
    ErrorCode.helloRequired,
    ErrorCode.forbidden,
    ErrorCode.noPeer,
    ErrorCode.rateLimited,
  ]),
  message: z.string(),
});

export const PongSchema = z.object({ type: z.literal('pong'), t: z.number() });

export const RelayToClientSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  ParticipantFrameSchema,
  RelayedSignalSchema,
  OfferAheadTakenSchema,
  SessionEndedSchema,
  ObserversFrameSchema,
  ErrorFrameSchema,
  PongSchema,
  ...chatRelayFrames,
  ...annotationsRelayFrames,
  ...anchorsRelayFrames,
  ...journeyRelayFrames,
  ...watchRelayFrames,
  ...cameraRelayFrames,
  ...qualityRelayFrames,
  ...nameplateRelayFrames,
]);
export type RelayToClient = z.infer<typeof RelayToClientSchema>;

/** WebSocket close codes the relay uses (its own in 4000–4999, the application range). */
export const CloseCode = {
  unsupportedVersion: 4400,
  unauthorized: 4401,
  /** No hello within the relay's hello timeout: the client reconnects and says hello at once. */
  helloTimeout: 4408,
  replaced: 4409,
  sessionEnded: 4410,
  frameTooLarge: 4413,
  tooManyBadFrames: 4429,
  /**
   * The socket fell too far behind: more than the relay's bound (8 MiB) waits to be sent to it, so
   * it does not read what it is sent. The client reconnects and catches up from the room's state
   * (welcome, marks, `chat-sync` from its last message) instead of the relay holding ever more for
   * it. WebSocket's "Try Again Later".
   */
  tooFarBehind: 1013,
  /**
   * The relay is shutting down (a deploy, fewer relays): the session goes on; the client reconnects
   * after its usual short, jittered backoff and the load balancer hands it to another relay.
   * WebSocket's own "Service Restart".
   */
  relayRestart: 1012,
} as const;
