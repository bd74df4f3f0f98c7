import type { QualityStep } from '@live-assist/protocol';
import { STEPS } from './ladder.js';

type Sender = Pick<RTCRtpSender, 'getParameters' | 'setParameters'>;

/**
 * Sets what one step sends on the peer connection's senders: the video encoding's size, bitrate
 * and frame rate (or no video at all), and the voice's ceiling. The capture itself is untouched:
 * the phone's camera keeps running at full size, so a still can be taken in voice-only mode.
 */
export async function applyStep(senders: { video: Sender | null; audio: Sender | null }, step: QualityStep): Promise<void> {
  const settings = STEPS[step];
  if (senders.video) {
    await update(senders.video, (encoding) => {
      encoding.active = settings.video !== null;
      if (settings.video) {
        encoding.scaleResolutionDownBy = settings.video.scaleResolutionDownBy;
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
