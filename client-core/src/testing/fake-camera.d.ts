import type { CameraTrack } from '../camera/track.js';
/**
 * A camera track as a phone's browser reports it: capabilities, settings, and `applyConstraints`
 * that, like Chrome, replaces the whole constraint set and takes the `advanced` values the camera
 * supports. `refuse` makes the next calls reject as a camera that cannot do it would.
 */
export declare class FakeCameraTrack implements CameraTrack {
  private readonly capabilities;
  readyState: MediaStreamTrackState;
  refuse: boolean;
  readonly applied: MediaTrackConstraints[];
  private constraints;
  private settings;
  constructor(capabilities?: Record<string, unknown>, settings?: Record<string, unknown>, constraints?: MediaTrackConstraints);
  getCapabilities(): unknown;
  getSettings(): unknown;
  getConstraints(): unknown;
  applyConstraints(constraints: MediaTrackConstraints): Promise<void>;
  stop(): void;
}
