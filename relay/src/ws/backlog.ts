import { CloseCode } from '@live-assist/protocol';
import type { RoomSocket } from '../rooms/room.js';

const MiB = 1024 * 1024;

/**
 * What may wait in one socket's send buffer (ws `bufferedAmount`: written by the relay, not yet
 * taken by the kernel) before the relay stops adding to it. A client that reads slower than it is
 * sent to (a phone on a poor link, a stalled tab) would otherwise hold the relay's memory without
 * bound.
 */
export interface SendBacklogBounds {
  /**
   * Past this, frames a newer one replaces (pointer positions, upload progress) are dropped.
   * Default 1 MiB: above what a join's catch-up puts in the buffer at once (a chat-history page of
   * 100 messages and the marks' state: a few hundred KiB in a real call), so a healthy socket that
   * just joined loses no pointer; yet a pointer queued behind 1 MiB is already seconds late on a
   * phone's link (8 s at 1 Mbit/s) and worth nothing, and pointer traffic alone (125 frames a
   * second at most, ~70 bytes each) gets there only on a socket that has stopped reading.
   */
  dropAboveBytes: number;
  /**
   * Past this, the socket is closed (1013, `CloseCode.tooFarBehind`): only frames that are never
   * dropped (chat, marks, signaling, state) take it there, and a client that far behind (a minute
   * on a slow phone link) is better served reconnecting and catching up from the room's state than
   * by the relay holding more. Default 8 MiB: eight times the drop bound, so a burst of state frames
   * to a slow but live socket does not cut it. A relay's worst case is this times its sockets.
   */
  closeAboveBytes: number;
}

export const DEFAULT_SEND_BACKLOG: SendBacklogBounds = { dropAboveBytes: 1 * MiB, closeAboveBytes: 8 * MiB };

/** What boundedSocket needs of a ws WebSocket (tests pass a stand-in). */
export interface BufferedSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code: number, reason: string): void;
}

export interface BacklogEvents {
  sent(): void;
  /** A droppable frame was not sent: the socket was past `dropAboveBytes`. */
  dropped(): void;
  /** The socket was closed with 1013 with `bytes` waiting. */
  tooFarBehind(bytes: number): void;
}

/** `WebSocket.OPEN` (ws and browsers alike). */
const OPEN = 1;

/** A room's view of a WebSocket whose send buffer is bounded (see SendBacklogBounds). */
export function boundedSocket(ws: BufferedSocket, events: BacklogEvents, bounds: SendBacklogBounds = DEFAULT_SEND_BACKLOG): RoomSocket {
  return {
    send(text, droppable = false) {
      if (ws.readyState !== OPEN) return;
      const waiting = ws.bufferedAmount;
      if (waiting > bounds.closeAboveBytes) {
        // The close frame queues behind what waits: a client that reads again sees 1013 after it;
        // one that never does is cut by ws's close timeout or the heartbeat. Nothing more is added.
        ws.close(CloseCode.tooFarBehind, 'too far behind');
        events.tooFarBehind(waiting);
        return;
      }
      if (droppable && waiting > bounds.dropAboveBytes) {
        events.dropped();
        return;
      }
      ws.send(text);
      events.sent();
    },
    close(code, reason) {
      ws.close(code, reason);
    },
  };
}
