import { ErrorCode, Role } from '@live-assist/protocol';
import type { FeatureRoom, RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';
import { customerLocationView, type JourneyRepository } from './store.js';

/**
 * The location step: the customer reports its answer once, the relay persists it (the ticket note
 * needs it) before the specialist is told, and a specialist joining later gets the stored answer.
 */
export function journeyFeature(deps: { journey: JourneyRepository; now: () => number }): RoomFeatureFactory<'location'> {
  return ({ sessionId }): RoomFeature<'location'> => {
    const sendStored = async (room: FeatureRoom) => {
      const stored = await deps.journey.findLocation(sessionId);
      room.sendTo(Role.specialist, {
        type: 'customer-location',
        location: stored ? customerLocationView(stored) : null,
      });
    };
    return {
      frameTypes: ['location'] as const,
      async handle(frame, from, room) {
        if (from.role !== Role.customer) {
          room.reject(from, ErrorCode.forbidden, 'only the customer reports a location');
          return;
        }
        const entry = await deps.journey.recordLocation(sessionId, frame.location, deps.now());
        room.sendTo(Role.specialist, { type: 'customer-location', location: customerLocationView(entry) });
      },
      joined(role, room) {
        if (role === Role.specialist) return sendStored(room);
      },
      observerJoined: sendStored,
    };
  };
}
