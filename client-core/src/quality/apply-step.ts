import type { QualityStep } from '@live-assist/protocol';
import { STEPS } from './ladder.js';

type Sender = Pick<RTCRtpSender, 'getParameters' | 'setParameters'>;

/**
 * A new video encoder starts at half the capture's size at most. The bandwidth estimate starts
 * near 300 kbit/s, and at a full 1280x720 Chromium's encoder first drops frames and has the camera
 * scale down before it sends any: 250–300 ms more to the first frame (bench/join). Once frames
 * flow, the step's own size is set (LadderLoop).
 */
export const FIRST_FRAMES_SCALE = 2;

/**
 * Sets what one step sends on the peer connection's senders: the video encoding's size, bitrate
 * and frame rate (or no video at all), and the voice's ceiling. The capture itself is untouched:
 * the phone's camera keeps running at full size, so a still can be taken in voice-only mode.
 */
export async function applyStep(
  senders: { video: Sender | null; audio: Sender | null },
  step: QualityStep,
  /** The video encoder has not put out a frame yet: it starts small (FIRST_FRAMES_SCALE). */
  options: { firstFrames?: boolean } = {},
): Promise<void> {
  const settings = STEPS[step];
  if (senders.video) {
    await update(senders.video, (encoding) => {
      encoding.active = settings.video !== null;
      if (settings.video) {
        const scale = settings.video.scaleResolutionDownBy;
        encoding.scaleResolutionDownBy = options.firstFrames ? Math.max(scale, FIRST_FRAMES_SCALE) : scale;
        encoding.maxBitrate = settings.video.maxBitrate;
        encoding.maxFramerate = settings.video.maxFramerate;
      }
    });
  }
  if (senders.audio) {
    await update(senders.audio, (encoding) => {
      encoding.maxBitrate = settings.audioMaxBitrate;
      // Chrome's own; other browsers have no such field and keep their packet time.
      if ('adaptivePtime' in encoding) (encoding as { adaptivePtime: boolean }).adaptivePtime = settings.adaptivePtime;
    });
  }
}

async function update(sender: Sender, change: (encoding: RTCRtpEncodingParameters) => void): Promise<void> {
  const parameters = sender.getParameters();
  // Before negotiation there are no encodings to set; the next connection gets the step then.
  if (!parameters.encodings?.length) return;
  for (const encoding of parameters.encodings) change(encoding);
  await sender.setParameters(parameters);
}
