import { CallState } from './transport.js';

/** While no pair carries media yet: connecting the first time, reconnecting once the call was up. */
export function waitingState(everConnected: boolean): CallState {
  return everConnected ? CallState.reconnecting : CallState.connecting;
}

export type PeerStateInput = {
  connection: RTCPeerConnectionState;
  /** The pair (this one or an earlier one) has been connected in this call. */
  everConnected: boolean;
  /** This side is the offerer, which restarts ICE when the pair fails: for it a failure is not final. */
  restartsIce: boolean;
};

/**
 * The same words as the Twilio path for one RTCPeerConnection's state. null for `closed`: only the
 * transport closes a pair, and it has already said what comes next.
 */
export function callStateForPeer(input: PeerStateInput): CallState | null {
  switch (input.connection) {
    case 'new':
    case 'connecting':
      return waitingState(input.everConnected);
    case 'connected':
      return CallState.connected;
    case 'disconnected':
      return CallState.reconnecting;
    case 'failed':
      return input.restartsIce ? CallState.reconnecting : CallState.failed;
    case 'closed':
      return null;
  }
}

/**
 * What the offerer does about its ICE connection: `restart` a failed one now; `restart-later` a
 * disconnected one, only if it stays so (it often comes back by itself within a second or two);
 * `cancel-restart` once it is checking or connected again, so a waiting restart is not needed.
 */
export type IceAction = 'restart' | 'restart-later' | 'cancel-restart';

export function iceActionFor(state: RTCIceConnectionState): IceAction {
  if (state === 'failed') return 'restart';
  if (state === 'disconnected') return 'restart-later';
  return 'cancel-restart';
}
