import type { RoomConnection } from '../rooms/room.js';

/** Frames a socket may send while its relay finds the session's room; honest clients send a few. */
const MAX_QUEUED = 500;

/**
 * A socket's handle while its relay finds out which relay holds the session (a Redis round trip,
 * longer while a dead relay's lease runs out): what arrives meanwhile is replayed in order.
 */
export class PendingConnection implements RoomConnection {
  private target: RoomConnection | null = null;
  private queue: ((target: RoomConnection) => void)[] = [];
  private gone = false;

  /** The client went away before the room was found. */
  get isClosed(): boolean {
    return this.gone;
  }

  bind(target: RoomConnection): void {
    this.target = target;
    for (const replay of this.queue) replay(target);
    this.queue = [];
  }

  receive(text: string): void {
    if (this.target) this.target.receive(text);
    else if (this.queue.length < MAX_QUEUED) this.queue.push((t) => t.receive(text));
  }

  receiveBinary(): void {
    if (this.target) this.target.receiveBinary();
    else if (this.queue.length < MAX_QUEUED) this.queue.push((t) => t.receiveBinary());
  }

  closed(): void {
    if (this.gone) return;
    this.gone = true;
    if (this.target) this.target.closed();
    else this.queue.push((t) => t.closed());
  }

  settled(): boolean {
    return this.target?.settled() ?? false;
  }
}

/** For a socket the relay closed itself before it reached any room. */
export const NO_ROOM: RoomConnection = { receive() {}, receiveBinary() {}, closed() {}, settled: () => true };
