import { Role, type ParticipantState } from '@live-assist/protocol';
import type { RelayedSignalFrame } from './socket.js';

export function peerRoleOf(role: Role): Role {
  return role === Role.customer ? Role.specialist : Role.customer;
}

/**
 * A signal counts only when it comes from the other role's *current* connection: a reloaded or
 * replaced page may still have offers and candidates in flight that belong to a dead peer.
 */
export function acceptSignal(frame: RelayedSignalFrame, selfRole: Role, peer: ParticipantState | null): boolean {
  if (frame.from !== peerRoleOf(selfRole)) return false;
  if (!peer || peer.role !== frame.from) return false;
  return peer.connectionId !== null && peer.connectionId === frame.fromConnectionId;
}

/** The offerer starts a fresh negotiation when a connected peer shows a connection it has not offered to. */
export function needsOffer(peer: ParticipantState | null, offeredTo: string | null): boolean {
  if (!peer || !peer.connected || peer.connectionId === null) return false;
  return peer.connectionId !== offeredTo;
}

/** A browser ICE candidate as the protocol carries it (absent fields as null). */
export function candidateOf(c: RTCIceCandidateInit) {
  return {
    candidate: c.candidate ?? '',
    sdpMid: c.sdpMid ?? null,
    sdpMLineIndex: c.sdpMLineIndex ?? null,
    usernameFragment: c.usernameFragment ?? null,
  };
}

/**
 * Whether `peer`'s connection belongs to the page a pair was negotiated with. Only a page that
 * names itself (hello `instanceId`) can be recognised: one that does not is a new page every time.
 */
export function samePage(peer: ParticipantState, pairInstanceId: string | null): boolean {
  return peer.instanceId !== undefined && peer.instanceId === pairInstanceId;
}
