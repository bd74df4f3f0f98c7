import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CameraContext } from '@live-assist/client-core';
import type { CustomerCall, CustomerCallSnapshot } from '../call/customerCall.js';
import { CustomerCamera, type CustomerCameraState } from './customerCamera.js';

const NONE: CustomerCameraState = { capabilities: null, settings: null, notice: null };

/** What this phone offers besides the track; asked afresh each time, a camera may come or go. */
async function browserContext(): Promise<CameraContext> {
  const devices = navigator.mediaDevices;
  const supported = (devices?.getSupportedConstraints?.() ?? {}) as Record<string, boolean | undefined>;
  let cameras = 0;
  try {
    cameras = (await devices.enumerateDevices()).filter((d) => d.kind === 'videoinput').length;
  } catch {
    // No device list (an old WebView): only the camera in use is known.
  }
  return { otherCamera: cameras > 1, pointsOfInterest: supported.pointsOfInterest === true };
}

/** One CustomerCamera for the call's socket, told whenever the local camera track changes. */
export function useCustomerCamera(
  store: CustomerCall,
  call: CustomerCallSnapshot,
): { camera: CustomerCamera | null; state: CustomerCameraState } {
  const [camera, setCamera] = useState<CustomerCamera | null>(null);
  const trackRef = useRef<MediaStreamTrack | null>(null);
  const track = call.localStream?.getVideoTracks()[0] ?? null;
  trackRef.current = track;

  useEffect(() => {
    const link = store.sessionLink();
    if (!link) return;
    const created = new CustomerCamera({
      socket: link.socket,
      track: () => trackRef.current,
      switchCamera: (facing) => store.switchCamera(facing),
      context: browserContext,
    });
    setCamera(created);
    return () => {
      created.dispose();
      setCamera(null);
    };
  }, [store]);

  useEffect(() => {
    camera?.trackChanged();
  }, [camera, track]);

  const state = useSyncExternalStore(
    (cb) => camera?.on('change', cb) ?? (() => undefined),
    () => camera?.state ?? NONE,
  );
  return { camera, state };
}
