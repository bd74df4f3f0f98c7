import {
  CameraFacing,
  CameraRefusal,
  type CameraCapabilities,
  type CameraChange,
  type CameraSettings,
  type ZoomRange,
} from '@live-assist/protocol';

/**
 * What the browser says of a camera track beyond the standard dictionaries: torch, zoom, focus mode
 * and points of interest come from the Image Capture spec, which TypeScript's DOM types lack.
 */
type ExtendedCapabilities = {
  torch?: boolean | readonly boolean[];
  zoom?: { min?: number; max?: number; step?: number };
  focusMode?: readonly string[];
};
type ExtendedSettings = { torch?: boolean; zoom?: number; facingMode?: string };
type ExtendedConstraintSet = Record<string, unknown>;

/** The slice of a `MediaStreamTrack` camera control uses (a test gives a fake). */
export interface CameraTrack {
  readonly readyState: MediaStreamTrackState;
  getCapabilities?(): unknown;
  getSettings(): unknown;
  getConstraints?(): unknown;
  applyConstraints(constraints: MediaTrackConstraints): Promise<void>;
}

/** What the phone knows besides the track: another camera to switch to, focus points at all. */
export interface CameraContext {
  otherCamera: boolean;
  /** `navigator.mediaDevices.getSupportedConstraints().pointsOfInterest`. */
  pointsOfInterest: boolean;
}

function capabilitiesOf(track: CameraTrack): ExtendedCapabilities {
  try {
    return (track.getCapabilities?.() ?? {}) as ExtendedCapabilities;
  } catch {
    // Firefox before 132 and some WebViews throw instead of answering.
    return {};
  }
}

function zoomRangeOf(caps: ExtendedCapabilities): ZoomRange | null {
  const { min, max, step } = caps.zoom ?? {};
  if (typeof min !== 'number' || typeof max !== 'number' || !(max > min) || min < 0 || max > 100) return null;
  return { min, max, step: typeof step === 'number' && step > 0 && step <= 100 ? step : 0.1 };
}

function hasTorch(caps: ExtendedCapabilities): boolean {
  // Chrome answers `true`; the spec's sequence form lists the values the torch can take.
  return caps.torch === true || (Array.isArray(caps.torch) && caps.torch.includes(true));
}

function focusable(caps: ExtendedCapabilities, context: CameraContext): boolean {
  const modes = caps.focusMode ?? [];
  return context.pointsOfInterest && (modes.includes('single-shot') || modes.includes('continuous'));
}

/** The camera as the console should see it; `null` capabilities when there is no live camera. */
export function readCamera(
  track: CameraTrack | null,
  context: CameraContext,
): { capabilities: CameraCapabilities | null; settings: CameraSettings | null } {
  if (!track || track.readyState !== 'live') return { capabilities: null, settings: null };
  const caps = capabilitiesOf(track);
  const settings = track.getSettings() as ExtendedSettings;
  const zoom = zoomRangeOf(caps);
  const facing = settings.facingMode === CameraFacing.environment || settings.facingMode === CameraFacing.user ? settings.facingMode : null;
  return {
    capabilities: { torch: hasTorch(caps), zoom, focus: focusable(caps, context), switchCamera: context.otherCamera },
    settings: {
      torch: settings.torch === true,
      zoom: zoom && typeof settings.zoom === 'number' ? settings.zoom : null,
      facing,
    },
  };
}

/**
 * A level the camera takes: inside its range and on its step grid, without the float noise of
 * `min + n × step` (1.1 + 0.1 = 1.2000000000000002). The phone applies and reports it, and the
 * console rounds what a specialist drags or clicks to the same grid.
 */
export function snapZoom(level: number, range: ZoomRange): number {
  if (!Number.isFinite(level)) return range.min;
  const stepped = range.step > 0 ? range.min + Math.round((level - range.min) / range.step) * range.step : level;
  return Math.round(Math.min(range.max, Math.max(range.min, stepped)) * 1e6) / 1e6;
}

/** The constraint a change sets on the track, keyed by what it controls. */
function constraintFor(change: Exclude<CameraChange, { kind: 'facing' }>, caps: ExtendedCapabilities, zoom: ZoomRange | null) {
  switch (change.kind) {
    case 'torch':
      return { key: 'torch', set: { torch: change.on } };
    case 'zoom':
      return { key: 'zoom', set: { zoom: snapZoom(change.level, zoom!) } };
    case 'focus': {
      const mode = caps.focusMode?.includes('single-shot') ? 'single-shot' : 'continuous';
      return { key: 'pointsOfInterest', set: { pointsOfInterest: [{ x: change.x, y: change.y }], focusMode: mode } };
    }
  }
}

/**
 * Applies torch, zoom or focus to a live track. `applyConstraints` replaces every constraint the
 * track had, so the capture's size and frame rate are carried over and each control keeps its own
 * `advanced` entry: one the camera cannot meet is skipped without undoing the others.
 * Resolves with a refusal instead of throwing, so the answer to the console is always one value.
 */
export async function applyToTrack(
  track: CameraTrack | null,
  change: Exclude<CameraChange, { kind: 'facing' }>,
  context: CameraContext,
): Promise<CameraRefusal | null> {
  if (!track || track.readyState !== 'live') return CameraRefusal.cameraOff;
  const caps = capabilitiesOf(track);
  const zoom = zoomRangeOf(caps);
  const supported = change.kind === 'torch' ? hasTorch(caps) : change.kind === 'zoom' ? zoom !== null : focusable(caps, context);
  if (!supported) return CameraRefusal.unsupported;
  const { key, set } = constraintFor(change, caps, zoom);
  const current = (track.getConstraints?.() ?? {}) as MediaTrackConstraints & { advanced?: ExtendedConstraintSet[] };
  const advanced = (current.advanced ?? []).filter((entry) => !(key in entry));
  try {
    await track.applyConstraints({ ...current, advanced: [...advanced, set] } as MediaTrackConstraints);
    return null;
  } catch {
    return CameraRefusal.failed;
  }
}
