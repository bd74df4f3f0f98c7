import type { ClientToRelay, ErrorCode, RelayToClient, Role } from '@live-assist/protocol';

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
  /** Answers the sender with an error frame; it counts towards the bad-frame limit. */
  reject(from: FeatureSender, code: ErrorCode, message: string): void;
  isConnected(role: Role): boolean;
}

/**
 * A session feature (chat, annotations, …) plugged into a Room. It owns the frame types it lists;
 * the Room parses and authenticates frames, then hands them over. `handle` may be async (persist
 * before fan-out); a rejection becomes an error frame to the sender, never a crash.
 */
export interface RoomFeature {
  readonly frameTypes: readonly ClientToRelay['type'][];
  handle(frame: ClientToRelay, from: FeatureSender, room: FeatureRoom): void | Promise<void>;
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
export type RoomFeatureFactory = (session: { sessionId: string }) => RoomFeature;
