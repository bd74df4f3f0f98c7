import type { MEDIA_ERROR_KINDS } from '@live-assist/protocol';
/** Local camera/microphone acquisition with errors a UI can explain. */

export const MediaErrorKind = {
  denied: 'denied',
  notFound: 'not-found',
  inUse: 'in-use',
  insecureContext: 'insecure-context',
  other: 'other',
} as const satisfies Record<string, (typeof MEDIA_ERROR_KINDS)[number]>;
/** The protocol's list: the kind travels to the console in the customer's `stage` frame. */
export type MediaErrorKind = (typeof MEDIA_ERROR_KINDS)[number];

export class MediaAccessError extends Error {
  override readonly name = 'MediaAccessError';
  constructor(
    readonly kind: MediaErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

export function cameraConstraints(options: { preferRear: boolean }): MediaTrackConstraints {
  return {
    // `ideal` so a laptop with one webcam still works; phones pick the rear camera.
    ...(options.preferRear ? { facingMode: { ideal: 'environment' } } : { facingMode: { ideal: 'user' } }),
    width: { ideal: 1280 },
    height: { ideal: 720 },
  };
}

/**
 * The specialist's own camera is a face in a small tile on the customer's phone: 360p at 24 fps is
 * sharp there, and it leaves both machines' CPU and the uplink to the customer's scene camera,
 * which is what the call is about.
 */
export const SPECIALIST_CAMERA: MediaTrackConstraints = {
  facingMode: { ideal: 'user' },
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 24 },
};

export const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export function classifyMediaError(err: unknown): MediaErrorKind {
  if (err instanceof MediaAccessError) return err.kind;
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return MediaErrorKind.denied;
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return MediaErrorKind.notFound;
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return MediaErrorKind.inUse;
    default:
      return MediaErrorKind.other;
  }
}

function browserGetUserMedia(): GetUserMedia | null {
  if (typeof globalThis.isSecureContext === 'boolean' && !globalThis.isSecureContext) return null;
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices || typeof devices.getUserMedia !== 'function') return null;
  return (constraints) => devices.getUserMedia(constraints);
}

export type LocalMedia = {
  stream: MediaStream;
  /** Reused when the camera is turned back on, so it comes back as the same camera. */
  videoConstraints: MediaTrackConstraints;
};

/** Asks for camera and microphone together (one prompt); throws `MediaAccessError`. */
export async function acquireLocalMedia(options: {
  preferRear: boolean;
  /** Replaces the scene-camera constraints `preferRear` picks. */
  video?: MediaTrackConstraints;
  getUserMedia?: GetUserMedia;
}): Promise<LocalMedia> {
  const getUserMedia = options.getUserMedia ?? browserGetUserMedia();
  if (!getUserMedia) {
    throw new MediaAccessError(MediaErrorKind.insecureContext, 'Camera access needs a secure (https) page in a browser that supports it');
  }
  const videoConstraints = options.video ?? cameraConstraints(options);
  try {
    const stream = await getUserMedia({ video: videoConstraints, audio: AUDIO_CONSTRAINTS });
    return { stream, videoConstraints };
  } catch (err) {
    const kind = classifyMediaError(err);
    const message = err instanceof Error ? err.message : String(err);
    throw new MediaAccessError(kind, message || kind, { cause: err });
  }
}

/** Front cameras are shown mirrored to their own user; rear cameras never are. */
export function isFrontCamera(track: MediaStreamTrack | undefined): boolean {
  if (!track || typeof track.getSettings !== 'function') return false;
  return track.getSettings().facingMode === 'user';
}
