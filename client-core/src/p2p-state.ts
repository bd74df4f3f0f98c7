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

/**
 * What the offerer does with a pair whose signaling moved to a new connection of the same page on
 * either side (a reconnect: relay restart, failover, a socket-only network blip). Media runs
 * browser to browser, so a settled pair is simply kept: `keep`. `restart-ice` a pair that lost its
 * path meanwhile (its own restart offer may have gone out while the socket was down, and was
 * dropped); `renegotiate` anything unsettled: an offer or answer still in flight was perhaps lost
 * with the old socket, and a pair that never connected, or failed, is cheapest made anew (what every
 * reconnect did before pages had a name).
 */
export type PairAfterReconnect = 'keep' | 'restart-ice' | 'renegotiate';

export function pairAfterReconnect(pc: { connection: RTCPeerConnectionState; signaling: RTCSignalingState }): PairAfterReconnect {
  if (pc.signaling !== 'stable') return 'renegotiate';
  if (pc.connection === 'connected') return 'keep';
  if (pc.connection === 'disconnected') return 'restart-ice';
  return 'renegotiate';
}
