import type { CameraTrack } from '../camera/track.js';

/**
 * A camera track as a phone's browser reports it: capabilities, settings, and `applyConstraints`
 * that, like Chrome, replaces the whole constraint set and takes the `advanced` values the camera
 * supports. `refuse` makes the next calls reject as a camera that cannot do it would.
 */
export class FakeCameraTrack implements CameraTrack {
  readyState: MediaStreamTrackState = 'live';
  refuse = false;
  readonly applied: MediaTrackConstraints[] = [];
  private constraints: MediaTrackConstraints;
  private settings: Record<string, unknown>;

  constructor(
    private readonly capabilities: Record<string, unknown> = {
      torch: true,
      zoom: { min: 1, max: 5, step: 0.1 },
      focusMode: ['continuous', 'single-shot', 'manual'],
    },
    settings: Record<string, unknown> = { torch: false, zoom: 1, facingMode: 'environment', width: 1280, height: 720 },
    constraints: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } },
  ) {
    this.settings = { ...settings };
    this.constraints = constraints;
  }

  getCapabilities(): unknown {
    return this.capabilities;
  }
  getSettings(): unknown {
    return { ...this.settings };
  }
  getConstraints(): unknown {
    return this.constraints;
  }
  async applyConstraints(constraints: MediaTrackConstraints): Promise<void> {
    if (this.refuse) throw Object.assign(new Error('Could not apply'), { name: 'OverconstrainedError' });
    this.applied.push(constraints);
    this.constraints = constraints;
    for (const entry of (constraints.advanced ?? []) as Record<string, unknown>[]) {
      for (const [key, value] of Object.entries(entry)) if (key in this.capabilities) this.settings[key] = value;
    }
  }
  stop(): void {
    this.readyState = 'ended';
  }
}
