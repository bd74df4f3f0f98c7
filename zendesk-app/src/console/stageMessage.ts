import { CustomerStatus } from '../sidebar/customerStatus';

/** What the video area says instead of (or over) the customer's picture. */
export const StageMessage = {
  none: 'none',
  notJoined: 'not-joined',
  connecting: 'connecting',
  cameraOff: 'camera-off',
  lost: 'lost',
  left: 'left',
} as const;
export type StageMessage = (typeof StageMessage)[keyof typeof StageMessage];

export function stageMessageOf(input: {
  status: CustomerStatus | null;
  customerConnected: boolean;
  hasRemoteVideo: boolean;
  cameraOn: boolean;
}): StageMessage {
  // A customer who is gone must not stay on screen as a frozen last frame.
  if (input.status === CustomerStatus.disconnected) return StageMessage.lost;
  if (input.status === CustomerStatus.left) return StageMessage.left;
  if (!input.customerConnected) return StageMessage.notJoined;
  if (!input.hasRemoteVideo) return StageMessage.connecting;
  return input.cameraOn ? StageMessage.none : StageMessage.cameraOff;
}
