import { Role, type QualityStep } from '@live-assist/protocol';
import { otherRole, type FeatureRoom, type RoomFeature, type RoomFeatureFactory } from '../rooms/feature.js';

/**
 * The quality ladder's steps (docs/contract.md "Quality ladder"): each side says at which step it
 * sends, the relay passes it to the other side and keeps the last one for a page that joins or
 * reloads later. Nothing is stored: each side says it again after every welcome.
 */
export function qualityFeature(): RoomFeatureFactory<'link-quality'> {
  return (): RoomFeature<'link-quality'> => {
    const last: Partial<Record<Role, QualityStep>> = {};
    const tell = (room: FeatureRoom, from: Role) => {
      const step = last[from];
      if (step) room.sendTo(otherRole(from), { type: 'link-quality', from, step });
    };
    return {
      frameTypes: ['link-quality'] as const,
      handle(frame, from, room) {
        last[from.role] = frame.step;
        tell(room, from.role);
      },
      joined(role, room) {
        tell(room, otherRole(role));
      },
      observerJoined(room) {
        tell(room, Role.customer);
      },
      left(role) {
        delete last[role];
      },
    };
  };
}
