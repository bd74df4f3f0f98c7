import { describe, expect, it } from 'vitest';
import { stageMessageOf } from './stageMessage';

const base = { status: 'in-call', customerConnected: true, hasRemoteVideo: true, cameraOn: true } as const;

describe('stageMessageOf', () => {
  it('shows the video only while the customer is there with the camera on', () => {
    expect(stageMessageOf(base)).toBe('none');
    expect(stageMessageOf({ ...base, cameraOn: false })).toBe('camera-off');
    expect(stageMessageOf({ ...base, hasRemoteVideo: false })).toBe('connecting');
  });

  it('covers the last frame when the customer drops or leaves', () => {
    expect(stageMessageOf({ ...base, status: 'disconnected', customerConnected: false })).toBe('lost');
    expect(stageMessageOf({ ...base, status: 'left', customerConnected: false })).toBe('left');
  });

  it("keeps a picture that still arrives on screen when only the customer's relay socket dropped, with a banner", () => {
    const dropped = { ...base, status: 'disconnected', customerConnected: false } as const;
    expect(stageMessageOf({ ...dropped, pictureLive: true })).toBe('reconnecting');
    expect(stageMessageOf({ ...dropped, pictureLive: true, hasRemoteVideo: false })).toBe('lost');
    expect(stageMessageOf({ ...dropped, pictureLive: false })).toBe('lost');
  });

  it('waits for a customer who has not joined yet', () => {
    expect(stageMessageOf({ status: 'waiting', customerConnected: false, hasRemoteVideo: false, cameraOn: false })).toBe('not-joined');
  });

  it('says the customer is getting ready while their page is before the call, even with the media path up', () => {
    for (const status of ['opened-link', 'consented', 'permissions'] as const) {
      expect(stageMessageOf({ status, customerConnected: true, hasRemoteVideo: false, cameraOn: false })).toBe('getting-ready');
      expect(stageMessageOf({ status, customerConnected: true, hasRemoteVideo: true, cameraOn: false })).toBe('getting-ready');
    }
  });

  it('covers the stale last frame while the phone sends voice only, and shows a frozen still under a banner instead', () => {
    expect(stageMessageOf({ ...base, voiceOnly: true })).toBe('voice-only');
    expect(stageMessageOf({ ...base, voiceOnly: true, frozen: true })).toBe('voice-only-frozen');
    // A camera the customer turned off is said as such, whatever the link.
    expect(stageMessageOf({ ...base, voiceOnly: true, cameraOn: false })).toBe('camera-off');
  });
});
