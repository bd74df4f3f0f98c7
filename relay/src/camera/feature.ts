import { ErrorCode, Role, type CameraStateFrame } from '@live-assist/protocol';
import type { FeatureRoom, RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';

const CAMERA_FRAMES = ['camera-state', 'camera-request', 'camera-applied', 'camera-sync'] as const;
type CameraFrame = (typeof CAMERA_FRAMES)[number];

/** What a console shows while no phone has reported: no controls. */
const NO_CAMERA: CameraStateFrame = { type: 'camera-state', capabilities: null, settings: null };

/**
 * Camera control from the console (docs/contract.md "Camera control"). The phone owns its camera,
 * so the relay keeps nothing but the phone's last report, for a console that joins or reloads
 * later; it checks who may send what and passes the rest on unread. Nothing is stored: a phone
 * reports again after every welcome, so a restarted or new holding relay learns it at once.
 */
export function cameraFeature(): RoomFeatureFactory<CameraFrame> {
  return (): RoomFeature<CameraFrame> => {
    let last: CameraStateFrame = NO_CAMERA;
    const sendLast = (room: FeatureRoom) => {
      room.sendTo(Role.specialist, last);
    };
    return {
      frameTypes: CAMERA_FRAMES,
      handle(frame, from, room) {
        switch (frame.type) {
          case 'camera-sync':
            // A console (or observer) asking again; the customer's page has nothing to read here.
            if (from.role === Role.specialist) sendLast(room);
            return;
          case 'camera-state':
          case 'camera-applied':
            if (from.role !== Role.customer) {
              room.reject(from, ErrorCode.forbidden, `only the customer's phone sends ${frame.type}`);
              return;
            }
            if (frame.type === 'camera-state') last = frame;
            room.sendTo(Role.specialist, frame);
            return;
          case 'camera-request':
            if (from.role !== Role.specialist) {
              room.reject(from, ErrorCode.forbidden, 'only the specialist asks for camera changes');
              return;
            }
            if (!room.sendTo(Role.customer, frame)) room.reject(from, ErrorCode.noPeer, 'the customer is not connected');
            return;
        }
      },
      joined(role, room) {
        if (role === Role.specialist) sendLast(room);
      },
      observerJoined: sendLast,
      left(role, room) {
        // A phone that left has no camera to drive; it reports afresh when it is back.
        if (role !== Role.customer) return;
        last = NO_CAMERA;
        room.sendTo(Role.specialist, last);
      },
    };
  };
}
