/// <reference lib="webworker" />
import { TemplateMatcher, type TrackerReply, type TrackerRequest } from './templateMatch';

/** Frames are matched at this width: 1 px is 0.3 % of the frame, sub-pixel peaks do better. */
const WORK_WIDTH = 320;

const matcher = new TemplateMatcher();
let canvas: OffscreenCanvas | null = null;

function gray(bitmap: ImageBitmap): { data: Float32Array; width: number; height: number } {
  const width = WORK_WIDTH;
  const height = Math.max(2, Math.round((bitmap.height / bitmap.width) * WORK_WIDTH));
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i += 1) data[i] = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
  return { data, width, height };
}

self.onmessage = (event: MessageEvent<TrackerRequest>) => {
  const request = event.data;
  switch (request.kind) {
    case 'anchor':
      matcher.anchor(request.id, gray(request.bitmap), request.region, request.frameTime);
      return;
    case 'drop':
      matcher.drop(request.id);
      return;
    case 'track': {
      const reply: TrackerReply = { seq: request.seq, updates: matcher.track(gray(request.bitmap), request.frameTime) };
      self.postMessage(reply);
      return;
    }
  }
};
