import { LocationOutcome, type LocationReport } from '@live-assist/protocol';

/** The slice of `navigator.geolocation` this page uses (tests pass a fake). */
export type Geolocator = Pick<Geolocation, 'getCurrentPosition'>;

export const LOCATION_TIMEOUT_MS = 10_000;

/**
 * One position fix, never longer than `timeoutMs` in total: the browser's own `timeout` only
 * starts once its permission prompt is answered, so a customer ignoring the prompt would wait forever.
 * Never rejects: every way of not getting a position is an outcome the call goes on with.
 */
export function locate(geolocation: Geolocator | undefined, timeoutMs = LOCATION_TIMEOUT_MS): Promise<LocationReport> {
  if (!geolocation) return Promise.resolve({ outcome: LocationOutcome.unavailable });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (report: LocationReport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(report);
    };
    const timer = setTimeout(() => settle({ outcome: LocationOutcome.timeout }), timeoutMs);
    try {
      geolocation.getCurrentPosition(
        (position) =>
          settle({
            outcome: LocationOutcome.shared,
            latitude: position.coords.latitude,
            longitude: position.coords.longitude,
            accuracy: Math.max(0, position.coords.accuracy),
            capturedAt: Math.round(position.timestamp),
          }),
        (error) =>
          settle({
            // 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT
            outcome: error.code === 1 ? LocationOutcome.denied : error.code === 3 ? LocationOutcome.timeout : LocationOutcome.unavailable,
          }),
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
      );
    } catch {
      settle({ outcome: LocationOutcome.unavailable });
    }
  });
}
