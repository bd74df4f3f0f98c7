import { CallState } from '../transport.js';

/** The room's own connection state as twilio-video reports it. */
export const RoomConnection = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
} as const;
export type RoomConnection = (typeof RoomConnection)[keyof typeof RoomConnection];

export type CallStateInput = {
  room: RoomConnection;
  /** The other party is in the room. */
  peerPresent: boolean;
  /** The other party's own connection to Twilio is recovering (their network dropped). */
  peerReconnecting: boolean;
  /** The other party has been seen in this call before (so its absence is a reconnect). */
  everConnected: boolean;
  /** The room ended with an error that was not a normal end. */
  failed: boolean;
};

/**
 * Same words as the P2P path: `connected` only while both sides are in the room; a missing peer
 * reads as connecting (never seen) or reconnecting (seen before), as a closed P2P pair does.
 */
export function callStateFor(input: CallStateInput): CallState {
  switch (input.room) {
    case RoomConnection.disconnected:
      return input.failed ? CallState.failed : CallState.disconnected;
    case RoomConnection.reconnecting:
      return CallState.reconnecting;
    case RoomConnection.connecting:
      return input.everConnected ? CallState.reconnecting : CallState.connecting;
    case RoomConnection.connected:
      if (input.peerPresent) return input.peerReconnecting ? CallState.reconnecting : CallState.connected;
      return input.everConnected ? CallState.reconnecting : CallState.connecting;
  }
}

export type { NetworkQuality } from '../transport.js';
