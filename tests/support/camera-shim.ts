import type { BrowserContext, Page } from 'playwright-core';

/** What the phone's camera can do in a test: Chromium's fake camera has no light, zoom or focus. */
export type FakePhoneCamera = {
  torch: boolean;
  zoom: { min: number; max: number; step: number } | null;
  focus: boolean;
  /** Two cameras (back and front) instead of one. */
  twoCameras: boolean;
};

export const FULL_PHONE_CAMERA: FakePhoneCamera = { torch: true, zoom: { min: 1, max: 5, step: 0.1 }, focus: true, twoCameras: true };

/**
 * Gives the page's fake camera the controls a phone's camera has, at the browser API the product
 * uses: `getCapabilities()` reports them, `applyConstraints()` takes their values (passing the
 * rest to Chromium), `getSettings()` reads them back, and `getUserMedia` honours `facingMode`
 * (the fake device has none, so an exact one would otherwise be refused). A second camera is
 * listed only when asked for; asking an exact facing the phone lacks is refused as Chrome does.
 */
export async function giveCameraControls(context: BrowserContext, camera: FakePhoneCamera): Promise<void> {
  await context.addInitScript((cam: FakePhoneCamera) => {
    type Extra = { torch: boolean; zoom: number; facingMode: string; pointsOfInterest?: { x: number; y: number }[]; focusMode?: string };
    const extra = new WeakMap<MediaStreamTrack, Extra>();
    const caps: Record<string, unknown> = {};
    if (cam.torch) caps.torch = true;
    if (cam.zoom) caps.zoom = cam.zoom;
    if (cam.focus) caps.focusMode = ['continuous', 'single-shot', 'manual'];
    const KEYS = ['torch', 'zoom', 'pointsOfInterest', 'focusMode'];

    const gum = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = async function (this: MediaDevices, constraints?: MediaStreamConstraints) {
      let facing = 'environment';
      let video = constraints?.video;
      if (video && typeof video === 'object' && video.facingMode) {
        const fm = video.facingMode as string | { exact?: string; ideal?: string };
        const exact = typeof fm === 'object' ? fm.exact : undefined;
        const wanted = typeof fm === 'string' ? fm : (fm.exact ?? fm.ideal);
        if (exact === 'user' && !cam.twoCameras) throw new DOMException('No camera faces that way', 'OverconstrainedError');
        if (wanted === 'user' && cam.twoCameras) facing = 'user';
        video = { ...video };
        delete video.facingMode;
      }
      const stream = await gum.call(this, { ...constraints, video });
      for (const track of stream.getVideoTracks()) extra.set(track, { torch: false, zoom: cam.zoom?.min ?? 1, facingMode: facing });
      return stream;
    };

    const list = MediaDevices.prototype.enumerateDevices;
    MediaDevices.prototype.enumerateDevices = async function (this: MediaDevices) {
      const devices = await list.call(this);
      const cameras = devices.filter((d) => d.kind === 'videoinput');
      if (!cam.twoCameras || cameras.length !== 1) return devices;
      const front = { deviceId: 'front', groupId: 'front', kind: 'videoinput', label: '', toJSON: () => ({}) } as MediaDeviceInfo;
      return [...devices, front];
    };

    const supported = MediaDevices.prototype.getSupportedConstraints;
    MediaDevices.prototype.getSupportedConstraints = function (this: MediaDevices) {
      return { ...supported.call(this), pointsOfInterest: cam.focus } as MediaTrackSupportedConstraints;
    };

    const proto = MediaStreamTrack.prototype;
    const getCapabilities = proto.getCapabilities;
    proto.getCapabilities = function (this: MediaStreamTrack) {
      const real = getCapabilities.call(this);
      return extra.has(this) ? { ...real, ...caps } : real;
    };
    const getSettings = proto.getSettings;
    proto.getSettings = function (this: MediaStreamTrack) {
      const real = getSettings.call(this);
      const own = extra.get(this);
      if (!own) return real;
      const shown: Record<string, unknown> = { ...real, facingMode: own.facingMode };
      if (cam.torch) shown.torch = own.torch;
      if (cam.zoom) shown.zoom = own.zoom;
      if (own.pointsOfInterest) shown.pointsOfInterest = own.pointsOfInterest;
      if (own.focusMode) shown.focusMode = own.focusMode;
      return shown as MediaTrackSettings;
    };
    const applyConstraints = proto.applyConstraints;
    proto.applyConstraints = async function (this: MediaStreamTrack, constraints?: MediaTrackConstraints) {
      const own = extra.get(this);
      if (!own || !constraints) return applyConstraints.call(this, constraints);
      const rest: Record<string, unknown>[] = [];
      for (const entry of (constraints.advanced ?? []) as Record<string, unknown>[]) {
        const mine = Object.keys(entry).filter((k) => KEYS.includes(k));
        if (mine.length === 0) {
          rest.push(entry);
          continue;
        }
        // An advanced entry the camera cannot meet as a whole is skipped, as the spec says.
        if ('torch' in entry && !cam.torch) continue;
        if ('zoom' in entry && !cam.zoom) continue;
        if ('pointsOfInterest' in entry && !cam.focus) continue;
        Object.assign(own, entry);
      }
      return applyConstraints.call(this, { ...constraints, advanced: rest });
    };
  }, camera);
}

/** The phone's camera track as the page reads it back (`getSettings()`). */
export function phoneCameraSettings(phone: Page): Promise<Record<string, unknown>> {
  return phone.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video.call__local');
    const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
    return track ? (track.getSettings() as Record<string, unknown>) : {};
  });
}
