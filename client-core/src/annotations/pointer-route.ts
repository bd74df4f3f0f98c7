/**
 * Which way a pointer goes (docs/contract.md "Pointer"): straight to the other page over the call's
 * data lane when it is open, over the relay otherwise. Each message carries its place in this
 * page's stream (`seq`), so the receiving model shows whichever copy arrives first and drops older
 * ones, whatever path they took.
 */
import { encodePeerPointer, decodePeerPointer, type ClientToRelay, type Role } from '@live-assist/protocol';
import { Emitter } from '../emitter.js';
import type { PeerDatagrams } from '../transport.js';
import type { AnnotationModel } from './model.js';

export interface PointerRouteDeps {
  relay(frame: ClientToRelay): void;
  lane: PeerDatagrams;
  /**
   * Whether anyone besides the other page watches (observers of the console): they only ever get
   * the relay's copy. Hiding always goes over the relay too: it must not be lost.
   */
  mirrored(): boolean;
  /** The stream's start: a clock in ms, so a reloaded page counts on above the page it replaces. */
  now?: () => number;
}

export class PointerRoute {
  private seq: number;

  constructor(private readonly deps: PointerRouteDeps) {
    this.seq = Math.floor((deps.now ?? Date.now)()) >>> 0;
  }

  /** Sends a drawer frame: pointers take the lane when they can, everything else the relay. */
  send(frame: ClientToRelay): void {
    if (frame.type !== 'pointer') {
      this.deps.relay(frame);
      return;
    }
    this.seq = (this.seq + 1) >>> 0;
    const { seq } = this;
    const direct = this.deps.lane.send(encodePeerPointer({ seq, point: frame.point }));
    if (!direct || frame.point === null) this.deps.relay({ type: 'pointer', point: frame.point, seq });
    else if (this.deps.mirrored()) this.deps.relay({ type: 'pointer', point: frame.point, seq, peer: true });
  }
}

/** Feeds the other page's pointer from the lane into the model; malformed messages are dropped. */
export function receivePeerPointers(lane: PeerDatagrams, model: AnnotationModel, from: Role): () => void {
  return lane.on((data) => {
    const message = decodePeerPointer(data);
    if (message) model.receivePointer(from, message.point, message.seq);
  });
}

/**
 * A page's lane, whichever transport carries the call: annotations hold this one from the start,
 * and the call plugs its transport's lane in when it has one (P2P) and out when it leaves.
 */
export class LaneSwitch implements PeerDatagrams {
  private readonly events = new Emitter<{ message: ArrayBuffer }>();
  private current: PeerDatagrams | null = null;
  private off: (() => void) | null = null;

  use(lane: PeerDatagrams | null | undefined): void {
    this.off?.();
    this.off = null;
    this.current = lane ?? null;
    if (this.current) this.off = this.current.on((data) => this.events.emit('message', data));
  }

  send(data: Uint8Array): boolean {
    return this.current?.send(data) ?? false;
  }

  on(handler: (data: ArrayBuffer) => void): () => void {
    return this.events.on('message', handler);
  }
}
