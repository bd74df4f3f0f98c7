import { describe, expect, it } from 'vitest';
import { applyStep } from './apply-step.js';

function sender() {
  let encodings: RTCRtpEncodingParameters[] = [{ active: true }];
  return {
    getParameters: () => ({ encodings: encodings.map((e) => ({ ...e })) }) as unknown as RTCRtpSendParameters,
    setParameters: async (p: RTCRtpSendParameters) => {
      encodings = p.encodings.map((e) => ({ ...e }));
    },
    get encoding() {
      return encodings[0]!;
    },
  };
}

describe('applying a step to the senders', () => {
  it('sends the step at its own size', async () => {
    const video = sender();
    await applyStep({ video, audio: null }, 'high');
    expect(video.encoding).toMatchObject({ active: true, scaleResolutionDownBy: 1, maxBitrate: 1_500_000, maxFramerate: 30 });
  });

  it('starts a new video at half size at most, so its first frame leaves at once', async () => {
    const video = sender();
    await applyStep({ video, audio: null }, 'high', { firstFrames: true });
    expect(video.encoding).toMatchObject({ active: true, scaleResolutionDownBy: 2, maxBitrate: 1_500_000 });
    // A step already smaller than that keeps its own size.
    await applyStep({ video, audio: null }, 'low', { firstFrames: true });
    expect(video.encoding.scaleResolutionDownBy).toBe(4);
  });

  it('leaves a sender that is not negotiated yet alone', async () => {
    const video = { ...sender(), getParameters: () => ({ encodings: [] }) as unknown as RTCRtpSendParameters };
    await expect(applyStep({ video, audio: null }, 'high', { firstFrames: true })).resolves.toBeUndefined();
  });
});
