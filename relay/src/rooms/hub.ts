import { CloseCode, type CustomerStage, type MediaConfig, type Role } from '@live-assist/protocol';
import type { AnyRoomFeatureFactory } from './feature.js';
import {
  Room,
  type CustomerPresence,
  type EndReason,
  type ObserverEvent,
  type ObserverIdentity,
  type RoomConnection,
  type RoomSocket,
} from './room.js';

export interface RoomInfo {
  sessionId: string;
  specialistName: string;
}

/**
 * Where live session state lives: in this process (InMemoryRoomHub), or across relays sharing a
 * Redis (cluster/), hence the session-keyed, async surface.
 */
export interface RoomHub {
  /** `observer` set: a watch-only socket of another agent (see Room.attach). */
  attach(info: RoomInfo, role: Role, participantKey: string, socket: RoomSocket, observer?: ObserverIdentity | null): RoomConnection;
  customerPresence(sessionId: string): Promise<CustomerPresence>;
  noteLinkOpened(info: RoomInfo): Promise<void>;
  setCustomerStage(info: RoomInfo, stage: CustomerStage): Promise<void>;
  endSession(sessionId: string, reason: EndReason): Promise<void>;
  /** Another agent took the specialist seat (see Room.takeOver). */
  takeOver(sessionId: string, specialistName: string): Promise<void>;
  /** Sessions with a live room on this relay (the expiry sweep checks them against storage). */
  liveSessionIds(): string[];
  /** Relay shutdown: close every socket with 1012 (reconnect elsewhere) without ending sessions. */
  close(): void;
}

export interface InMemoryRoomHubOptions {
  media: (sessionId: string) => MediaConfig;
  exitUrl: string;
  features?: AnyRoomFeatureFactory[];
  /** An observer started or stopped watching a session (the audit trail records it). */
  onObserver?: (sessionId: string, event: ObserverEvent, observer: ObserverIdentity) => void;
  /** See RoomOptions.onFanOut (the relay's fan-out latency histogram). */
  onFanOut?: (ms: number) => void;
}

export const ABSENT: CustomerPresence = { connected: false, participantKey: null, stage: 'waiting' };

export class InMemoryRoomHub implements RoomHub {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly opts: InMemoryRoomHubOptions) {}

  private room(info: RoomInfo): Room {
    let room = this.rooms.get(info.sessionId);
    if (!room) {
      room = new Room({
        sessionId: info.sessionId,
        media: () => this.opts.media(info.sessionId),
        exitUrl: this.opts.exitUrl,
        specialistName: info.specialistName,
        features: (this.opts.features ?? []).map((make) => make({ sessionId: info.sessionId })),
        onObserver: (event, observer) => this.opts.onObserver?.(info.sessionId, event, observer),
        ...(this.opts.onFanOut ? { onFanOut: this.opts.onFanOut } : {}),
      });
      this.rooms.set(info.sessionId, room);
    }
    return room;
  }

  attach(info: RoomInfo, role: Role, participantKey: string, socket: RoomSocket, observer: ObserverIdentity | null = null): RoomConnection {
    return this.room(info).attach(role, participantKey, socket, observer);
  }

  async customerPresence(sessionId: string): Promise<CustomerPresence> {
    return this.rooms.get(sessionId)?.customerPresence() ?? ABSENT;
  }

  async noteLinkOpened(info: RoomInfo): Promise<void> {
    this.room(info).noteLinkOpened();
  }

  async setCustomerStage(info: RoomInfo, stage: CustomerStage): Promise<void> {
    this.room(info).setCustomerStage(stage);
  }

  async endSession(sessionId: string, reason: EndReason): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    room.end(reason);
    this.rooms.delete(sessionId);
  }

  async takeOver(sessionId: string, specialistName: string): Promise<void> {
    this.rooms.get(sessionId)?.takeOver(specialistName);
  }

  liveSessionIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** This relay no longer holds the session (another took it): its sockets reconnect, it goes on. */
  release(sessionId: string): void {
    this.rooms.get(sessionId)?.disconnectAll(CloseCode.relayRestart, 'session moved to another relay');
    this.rooms.delete(sessionId);
  }

  close(): void {
    for (const room of this.rooms.values()) room.disconnectAll(CloseCode.relayRestart, 'relay shutting down');
    this.rooms.clear();
  }
}
