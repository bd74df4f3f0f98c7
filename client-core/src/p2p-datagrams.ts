/**
 * A lossy lane straight to the other page of a P2P call: one negotiated data channel per peer
 * connection, unordered and never retransmitted, for what the next message replaces anyway (the
 * pointer). Lost or late is better than queued behind a retransmission, and the relay stays the
 * way when the lane is closed.
 */
import { PEER_POINTER_CHANNEL } from '@live-assist/protocol';
import { Emitter } from './emitter.js';
import type { PeerDatagrams } from './transport.js';

const channels = new WeakMap<RTCPeerConnection, RTCDataChannel>();

/**
 * The pair's lane, made on first ask. Both pages make it with the same id (negotiated), so nothing
 * in the signaling names it; the offerer must ask before its offer so the SDP carries the
 * association. Null once the connection is closed.
 */
export function laneOf(pc: RTCPeerConnection): RTCDataChannel | null {
  let channel = channels.get(pc);
  if (channel) return channel;
  try {
    channel = pc.createDataChannel(PEER_POINTER_CHANNEL.label, {
      negotiated: true,
      id: PEER_POINTER_CHANNEL.id,
      ordered: false,
      maxRetransmits: 0,
    });
  } catch {
    return null;
  }
  channel.binaryType = 'arraybuffer';
  channels.set(pc, channel);
  return channel;
}

/** The transport's lane: follows whichever peer connection is current. */
export class P2PDatagrams implements PeerDatagrams {
  private readonly events = new Emitter<{ message: ArrayBuffer }>();
  private pc: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;

  follow(pc: RTCPeerConnection | null): void {
    if (this.channel) this.channel.onmessage = null;
    this.pc = pc;
    this.channel = pc ? laneOf(pc) : null;
    const channel = this.channel;
    if (!channel) return;
    channel.onmessage = (event: MessageEvent) => {
      if (channel === this.channel && event.data instanceof ArrayBuffer) this.events.emit('message', event.data);
    };
  }

  /** False when the lane cannot carry it now (not open, or the pair is not connected): use the relay. */
  send(data: Uint8Array): boolean {
    const channel = this.channel;
    if (!channel || channel.readyState !== 'open' || this.pc?.connectionState !== 'connected') return false;
    try {
      channel.send(data as Uint8Array<ArrayBuffer>);
      return true;
    } catch {
      return false;
    }
  }

  on(handler: (data: ArrayBuffer) => void): () => void {
    return this.events.on('message', handler);
  }
}
