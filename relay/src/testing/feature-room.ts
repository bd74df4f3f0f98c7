import type { RelayToClient, Role } from '@live-assist/protocol';
import type { FeatureRoom } from '../rooms/feature.js';

/** A room for one feature's unit tests: records what it sends (`sent`) and the error codes it answers (`rejected`). */
export function recordingRoom() {
  const sent: Array<{ to: Role | 'observers'; frame: RelayToClient }> = [];
  const rejected: string[] = [];
  const r: FeatureRoom = {
    sessionId: 'session-1',
    sendTo: (to, frame) => {
      sent.push({ to, frame });
      return true;
    },
    broadcast: (frame) => {
      sent.push({ to: 'specialist', frame }, { to: 'customer', frame });
    },
    sendToObservers: (frame) => {
      sent.push({ to: 'observers', frame });
    },
    reject: (_from, code) => rejected.push(code),
    isConnected: () => true,
  };
  return { r, sent, rejected };
}
