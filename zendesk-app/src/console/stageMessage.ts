import { CustomerStatus } from '../sidebar/customerStatus';

/** What the video area says instead of (or over) the customer's picture. */
export const StageMessage = {
  none: 'none',
  notJoined: 'not-joined',
  /** Joined, still on the consent, location or camera steps of their page. */
  gettingReady: 'getting-ready',
  connecting: 'connecting',
  cameraOff: 'camera-off',
  lost: 'lost',
  /**
   * The customer's socket to the relay dropped, but their picture still arrives (browser to
   * browser): a banner says so over the live picture instead of covering it.
   */
  reconnecting: 'reconnecting',
  left: 'left',
  /**
   * The quality ladder put the customer's phone on voice alone: no picture arrives. Covers the
   * stale last frame, and says how to still see the scene (freeze asks the phone for a still).
   */
  voiceOnly: 'voice-only',
  /** Voice alone, with a still frozen: a banner over the still, which is what there is to look at. */
  voiceOnlyFrozen: 'voice-only-frozen',
} as const;
export type StageMessage = (typeof StageMessage)[keyof typeof StageMessage];

export function stageMessageOf(input: {
  status: CustomerStatus | null;
  customerConnected: boolean;
  hasRemoteVideo: boolean;
  cameraOn: boolean;
  /** The call's media is connected: new frames of the customer's picture keep arriving. */
  pictureLive?: boolean;
  /** The customer's phone sends voice only (its quality ladder's step). */
  voiceOnly?: boolean;
  /** A still is frozen on the stage. */
  frozen?: boolean;
}): StageMessage {
  // A customer who is gone must not stay on screen as a frozen last frame; one whose picture is
  // still live (only the relay's socket dropped, e.g. a relay failover) stays visible.
  if (input.status === CustomerStatus.disconnected) {
    return input.pictureLive && input.hasRemoteVideo ? StageMessage.reconnecting : StageMessage.lost;
  }
  if (input.status === CustomerStatus.left) return StageMessage.left;
  if (!input.customerConnected) return StageMessage.notJoined;
  // The media path is negotiated while the customer is still on the steps before the call, so a
  // (still black) remote track is no sign that the camera is on its way.
  if (input.status !== null && input.status !== CustomerStatus.inCall) return StageMessage.gettingReady;
  if (!input.hasRemoteVideo) return StageMessage.connecting;
  if (!input.cameraOn) return StageMessage.cameraOff;
  if (input.voiceOnly) return input.frozen ? StageMessage.voiceOnlyFrozen : StageMessage.voiceOnly;
  return StageMessage.none;
}
