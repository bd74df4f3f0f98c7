import type { TwilioClient } from './client.js';
import { DEFAULT_RETRY, restCode, restStatus, withRetry, type RetryOptions } from './retry.js';
import type { Logger } from '../../logger.js';

/** Twilio error codes the room life cycle handles itself. */
export const TwilioRestCode = {
  notFound: 20404,
  roomExists: 53113,
  roomCompleted: 53118,
  /** Status invalid, or the room is not in progress (already completed, e.g. by its timeout). */
  roomNotInProgress: 53112,
} as const;

const ROOM_PREFIX = 'live-assist-';

/** Unique names are unique among in-progress rooms only, so the session id alone is enough. */
export function roomNameForSession(sessionId: string): string {
  return `${ROOM_PREFIX}${sessionId}`;
}

/** The session a room (from a webhook) belongs to, or null when it is not one of ours. */
export function sessionIdFromRoomName(roomName: string): string | null {
  if (!roomName.startsWith(ROOM_PREFIX)) return null;
  const id = roomName.slice(ROOM_PREFIX.length);
  return /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
}

export type TwilioRoom = {
  sid: string;
  uniqueName: string;
  status: string;
  /** false when it already existed (an earlier create, or a retry whose first try did land). */
  created: boolean;
};

export type TwilioRoomsOptions = {
  client: TwilioClient;
  maxParticipants: number;
  /** Twilio media region (`gll`, `de1`, `ie1` …) the room's media servers run in. */
  mediaRegion: string;
  /** Full URL Twilio posts room events to; null: no callbacks (Twilio cannot reach this relay). */
  statusCallbackUrl: string | null;
  retry?: RetryOptions;
  logger?: Logger;
};

/** Group rooms per session through the Rooms REST API. */
export class TwilioRooms {
  private readonly retry: RetryOptions;

  constructor(private readonly options: TwilioRoomsOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /**
   * Creates the session's room, or returns the in-progress one with that name. Idempotent, so it
   * is safe on session start and again before each token (Twilio closes rooms nobody joined
   * within 5 minutes, while invites live for hours).
   */
  async createRoom(sessionId: string): Promise<TwilioRoom> {
    const uniqueName = roomNameForSession(sessionId);
    const { client, maxParticipants, mediaRegion, statusCallbackUrl } = this.options;
    try {
      const room = await this.withRetry('create room', () =>
        client.video.v1.rooms.create({
          type: 'group',
          uniqueName,
          maxParticipants,
          mediaRegion,
          // Sent although it is the default: an account-wide recording setting must never apply.
          recordParticipantsOnConnect: false,
          ...(statusCallbackUrl ? { statusCallback: statusCallbackUrl, statusCallbackMethod: 'POST' } : {}),
        }),
      );
      return { sid: room.sid, uniqueName: room.uniqueName, status: room.status, created: true };
    } catch (err) {
      if (restCode(err) !== TwilioRestCode.roomExists) throw err;
      const room = await this.withRetry('fetch room', () => client.video.v1.rooms(uniqueName).fetch());
      return { sid: room.sid, uniqueName: room.uniqueName, status: room.status, created: false };
    }
  }

  /**
   * Ends the room, which disconnects everyone in it. Returns false when there was nothing to end
   * (unique names resolve only while a room is in progress, so an ended room is "not found").
   */
  async completeRoom(roomSidOrName: string): Promise<boolean> {
    const { client } = this.options;
    try {
      await this.withRetry('complete room', () => client.video.v1.rooms(roomSidOrName).update({ status: 'completed' }));
      return true;
    } catch (err) {
      const code = restCode(err);
      const ended = code === TwilioRestCode.roomCompleted || code === TwilioRestCode.roomNotInProgress;
      if (code === TwilioRestCode.notFound || ended || restStatus(err) === 404) {
        return false;
      }
      throw err;
    }
  }

  private withRetry<T>(what: string, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.retry, (err, attempt, delayMs) => {
      const reason = restStatus(err) ?? (err instanceof Error ? err.message : String(err));
      this.options.logger?.warn(`[twilio] ${what} failed (${reason}), retry ${attempt} in ${delayMs} ms`);
    });
  }
}
