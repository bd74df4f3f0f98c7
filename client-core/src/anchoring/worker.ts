// The anchoring Web Worker: frames (ImageBitmaps, transferred) scaled down to the tracking size,
// made gray and given to AnchorTracker, off the console's main thread.
import { grayFromRgba } from './image.js';
import { workerRequest } from './messages.js';
import { AnchorTracker, DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './tracker.js';
import type { AnchorUpdate } from './types.js';

type Scope = { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };
const scope = globalThis as unknown as Scope;

let trackWidth = 320;
let options: Partial<TrackerOptions> = {};
let tracker: AnchorTracker | null = null;
let canvas: OffscreenCanvas | null = null;
/** Anchors of a tracker that was replaced (the frame's shape changed): lost until pinned or dropped. */
const orphans = new Map<string, AnchorUpdate>();
const last = new Map<string, AnchorUpdate>();

function grayOf(bitmap: ImageBitmap): Uint8Array {
  const height = Math.max(16, Math.round((trackWidth * bitmap.height) / bitmap.width));
  if (!tracker || tracker.height !== height) {
    // A turned phone sends frames of another shape: its anchors cannot follow into them.
    for (const id of tracker?.ids ?? []) {
      const previous = last.get(id);
      if (previous) orphans.set(id, { ...previous, lost: true, confidence: 0 });
    }
    tracker = new AnchorTracker(trackWidth, height, options);
    canvas = new OffscreenCanvas(trackWidth, height);
  }
  const ctx = canvas!.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context in the worker');
  ctx.imageSmoothingEnabled = true;
  // Averages over the 4x reduction instead of picking pixels: less aliasing, steadier corners.
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(bitmap, 0, 0, trackWidth, height);
  bitmap.close();
  return grayFromRgba(ctx.getImageData(0, 0, trackWidth, height).data, trackWidth, height);
}

scope.onmessage = (event: MessageEvent) => {
  const parsed = workerRequest.safeParse(event.data);
  if (!parsed.success) {
    const seq = (event.data as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number') scope.postMessage({ seq, error: 'bad request' });
    return;
  }
  const msg = parsed.data;
  try {
    switch (msg.type) {
      case 'init':
        trackWidth = msg.width;
        options = Object.fromEntries(Object.entries(msg.options ?? {}).filter(([name]) => name in DEFAULT_TRACKER_OPTIONS));
        return;
      case 'drop':
        tracker?.drop(msg.id);
        orphans.delete(msg.id);
        last.delete(msg.id);
        return;
      case 'anchor':
      case 'pin': {
        if (!(msg.bitmap instanceof ImageBitmap)) return;
        const gray = grayOf(msg.bitmap);
        orphans.delete(msg.id);
        last.set(msg.id, tracker!.anchor(msg.id, gray, msg.region, msg.frameTime));
        return;
      }
      case 'track': {
        if (!(msg.bitmap instanceof ImageBitmap)) throw new Error('no frame');
        let updates: AnchorUpdate[] = [];
        if (tracker) {
          // Scaling may replace the tracker (a new frame shape): track with the one it leaves.
          const gray = grayOf(msg.bitmap);
          updates = tracker.track(gray, msg.frameTime);
        } else msg.bitmap.close();
        for (const u of updates) last.set(u.id, u);
        scope.postMessage({ seq: msg.seq, updates: [...updates, ...orphans.values()] });
        return;
      }
    }
  } catch (e) {
    if (msg.type === 'track') scope.postMessage({ seq: msg.seq, error: e instanceof Error ? e.message : String(e) });
  }
};
