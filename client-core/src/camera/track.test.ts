import { describe, expect, it } from 'vitest';
import { FakeCameraTrack } from '../testing/fake-camera.js';
import { applyToTrack, readCamera, snapZoom } from './track.js';

const PHONE = { otherCamera: true, pointsOfInterest: true };

describe('the camera as the console sees it', () => {
  it("a phone's rear camera: light, zoom range, focus, another camera; what it does now", () => {
    expect(readCamera(new FakeCameraTrack(), PHONE)).toEqual({
      capabilities: { torch: true, zoom: { min: 1, max: 5, step: 0.1 }, focus: true, switchCamera: true },
      settings: { torch: false, zoom: 1, facing: 'environment' },
    });
  });

  it('a laptop webcam offers nothing, and an ended or missing track is no camera at all', () => {
    const webcam = new FakeCameraTrack({}, { width: 640, height: 480 });
    expect(readCamera(webcam, { otherCamera: false, pointsOfInterest: false })).toEqual({
      capabilities: { torch: false, zoom: null, focus: false, switchCamera: false },
      settings: { torch: false, zoom: null, facing: null },
    });
    webcam.stop();
    expect(readCamera(webcam, PHONE)).toEqual({ capabilities: null, settings: null });
    expect(readCamera(null, PHONE)).toEqual({ capabilities: null, settings: null });
  });

  it('focus needs both focus modes on the camera and points of interest in the browser; a nonsense zoom range is no zoom', () => {
    const track = new FakeCameraTrack({ focusMode: ['manual'], zoom: { min: 2, max: 2 } });
    expect(readCamera(track, PHONE).capabilities).toMatchObject({ focus: false, zoom: null });
    expect(readCamera(new FakeCameraTrack(), { ...PHONE, pointsOfInterest: false }).capabilities?.focus).toBe(false);
  });

  it('a browser that throws on getCapabilities is a camera without controls, not a crash', () => {
    const track = new FakeCameraTrack();
    track.getCapabilities = () => {
      throw new Error('not implemented');
    };
    expect(readCamera(track, PHONE).capabilities).toEqual({ torch: false, zoom: null, focus: false, switchCamera: true });
  });
});

describe('applying a change to the track', () => {
  it('keeps the capture size and every other control: each control has its own advanced entry', async () => {
    const track = new FakeCameraTrack();
    expect(await applyToTrack(track, { kind: 'torch', on: true }, PHONE)).toBeNull();
    expect(await applyToTrack(track, { kind: 'zoom', level: 2.04 }, PHONE)).toBeNull();
    expect(await applyToTrack(track, { kind: 'torch', on: false }, PHONE)).toBeNull();
    expect(track.applied.at(-1)).toEqual({
      width: { ideal: 1280 },
      height: { ideal: 720 },
      advanced: [{ zoom: 2 }, { torch: false }],
    });
    expect(track.getSettings()).toMatchObject({ torch: false, zoom: 2, width: 1280 });
  });

  it('zoom is clamped into the range and onto its step', async () => {
    const track = new FakeCameraTrack();
    await applyToTrack(track, { kind: 'zoom', level: 40 }, PHONE);
    expect(track.getSettings()).toMatchObject({ zoom: 5 });
    expect(snapZoom(0.2, { min: 1, max: 8, step: 0.5 })).toBe(1);
    expect(snapZoom(3.3, { min: 1, max: 8, step: 0.5 })).toBe(3.5);
  });

  it('focus sends the point with single-shot focus where the camera has it', async () => {
    const track = new FakeCameraTrack();
    await applyToTrack(track, { kind: 'focus', x: 0.25, y: 0.75 }, PHONE);
    expect(track.applied.at(-1)?.advanced).toEqual([{ pointsOfInterest: [{ x: 0.25, y: 0.75 }], focusMode: 'single-shot' }]);
  });

  it('answers with a refusal instead of throwing: unsupported, refused by the browser, camera off', async () => {
    const webcam = new FakeCameraTrack({}, {});
    expect(await applyToTrack(webcam, { kind: 'torch', on: true }, PHONE)).toBe('unsupported');
    expect(await applyToTrack(webcam, { kind: 'zoom', level: 2 }, PHONE)).toBe('unsupported');
    expect(await applyToTrack(webcam, { kind: 'focus', x: 0.5, y: 0.5 }, PHONE)).toBe('unsupported');
    const phone = new FakeCameraTrack();
    phone.refuse = true;
    expect(await applyToTrack(phone, { kind: 'torch', on: true }, PHONE)).toBe('failed');
    phone.stop();
    expect(await applyToTrack(phone, { kind: 'torch', on: true }, PHONE)).toBe('camera-off');
    expect(await applyToTrack(null, { kind: 'torch', on: true }, PHONE)).toBe('camera-off');
    expect(webcam.applied).toEqual([]);
  });
});
