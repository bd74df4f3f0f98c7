import { afterEach, describe, expect, it, vi } from 'vitest';
import { locate, type Geolocator } from './location.js';

const fix = { coords: { latitude: 42.7, longitude: 23.3, accuracy: 15 }, timestamp: 1_700_000_000_000.4 };

function geolocator(answer: (ok: PositionCallback, fail: PositionErrorCallback) => void): Geolocator {
  return { getCurrentPosition: (ok, fail) => answer(ok, fail!) };
}

describe('locate', () => {
  afterEach(() => vi.useRealTimers());

  it('reports the position the browser gives', async () => {
    const report = await locate(geolocator((ok) => ok(fix as unknown as GeolocationPosition)));
    expect(report).toEqual({ outcome: 'shared', latitude: 42.7, longitude: 23.3, accuracy: 15, capturedAt: 1_700_000_000_000 });
  });

  it.each([
    [1, 'denied'],
    [2, 'unavailable'],
    [3, 'timeout'],
  ])('maps browser error %i to %s', async (code, outcome) => {
    const report = await locate(geolocator((_ok, fail) => fail({ code } as GeolocationPositionError)));
    expect(report).toEqual({ outcome });
  });

  it('gives up after the time limit even when the prompt is never answered', async () => {
    vi.useFakeTimers();
    const pending = locate(
      geolocator(() => undefined),
      10_000,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await pending).toEqual({ outcome: 'timeout' });
  });

  it('is unavailable without geolocation', async () => {
    expect(await locate(undefined)).toEqual({ outcome: 'unavailable' });
  });
});
