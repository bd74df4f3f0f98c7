import { Role, type ClientToRelay, type ErrorCode, type RelayToClient } from '@live-assist/protocol';

/** The other seat of the call: whom a participant's frames are for. */
export function otherRole(role: Role): Role {
  return role === Role.customer ? Role.specialist : Role.customer;
}

/** Which participant sent a frame a feature handles. */
export interface FeatureSender {
  readonly role: Role;
  readonly connectionId: string;
}

/** What a feature may do with its room; it never sees sockets. */
export interface FeatureRoom {
  readonly sessionId: string;
  /** Sends to that role's live socket; false when nobody holds the seat. */
  sendTo(role: Role, frame: RelayToClient): boolean;
  broadcast(frame: RelayToClient): void;
  /** Sends to the observers alone (what the other page already got another way). */
  sendToObservers(frame: RelayToClient): void;
  /** Answers the sender with an error frame; it counts towards the bad-frame limit. */
  reject(from: FeatureSender, code: ErrorCode, message: string): void;
  isConnected(role: Role): boolean;
}

export type FrameType = ClientToRelay['type'];
/** The client frame of that type, as zod parsed it. */
export type FrameOf<T extends FrameType> = Extract<ClientToRelay, { type: T }>;

/**
 * A session feature (chat, annotations, …) plugged into a Room. It owns the frame types it lists,
 * and `handle` is typed by them: the Room parses and authenticates frames, then hands over only
 * those. `handle` may be async (persist before fan-out); a rejection becomes an error frame to
 * the sender, never a crash.
 */
export interface RoomFeature<T extends FrameType = FrameType> {
  readonly frameTypes: readonly T[];
  handle(frame: FrameOf<T>, from: FeatureSender, room: FeatureRoom): void | Promise<void>;
  /** A participant said hello (first join, reload, reconnect): send it the current state. */
  joined?(role: Role, room: FeatureRoom): void | Promise<void>;
  left?(role: Role, room: FeatureRoom): void;
  /**
   * An observer said hello: send it what a joining specialist gets. `room.sendTo(specialist)`
   * reaches that observer alone; later frames for the specialist reach every observer anyway.
   */
  observerJoined?(room: FeatureRoom): void | Promise<void>;
  ended?(): void;
}

/** Builds a session's features when its Room is created. */
export type RoomFeatureFactory<T extends FrameType = FrameType> = (session: { sessionId: string }) => RoomFeature<T>;

/**
 * A feature as a Room or hub holds it, whatever frames it owns: a feature of some frame types is
 * one of these, and the Room hands `handle` only the types in `frameTypes`.
 */
export interface AnyRoomFeature extends Omit<RoomFeature, 'handle'> {
  handle(frame: never, from: FeatureSender, room: FeatureRoom): void | Promise<void>;
}

export type AnyRoomFeatureFactory = (session: { sessionId: string }) => AnyRoomFeature;
