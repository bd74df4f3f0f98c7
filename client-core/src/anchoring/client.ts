import { workerReply } from './messages.js';
import type { TrackerOptions } from './tracker.js';
import type { AnchorUpdate, Region } from './types.js';

export type AnchorWorker = {
  /** Anchors `region` (normalised) on this frame, the one the mark was drawn on. Takes the bitmap over. */
  anchor(id: string, bitmap: ImageBitmap, region: Region, frameTime: number): void;
  /**
   * Tracks every anchor into this frame; one update per anchor. Takes the bitmap over. Calls are
   * answered in order; send the next frame when this one is answered (frames in between are
   * better skipped than queued).
   */
  track(bitmap: ImageBitmap, frameTime: number): Promise<AnchorUpdate[]>;
  /** Anchors `region` again on this frame (the specialist pins a faded mark). Takes the bitmap over. */
  pin(id: string, bitmap: ImageBitmap, region: Region, frameTime: number): void;
  drop(id: string): void;
  /** Ends the worker; pending tracks fail. */
  close(): void;
};

export type AnchorWorkerOptions = {
  /** Width the frames are tracked at (height follows their shape); default 320. */
  trackWidth?: number;
  /**
   * Tracker tuning, e.g. `{ recoverSeconds: 0 }`: by default a lost anchor is looked for again
   * for 1 s and may come back (`lost: false`) unless it is dropped.
   */
  tracker?: Partial<TrackerOptions>;
};

/**
 * The console's anchor tracking in a Web Worker, started on the first call (the first mark):
 * nothing of it loads before a mark is drawn on live video.
 */
export function createAnchorWorker(options: AnchorWorkerOptions = {}): AnchorWorker {
  let worker: Worker | null = null;
  let nextSeq = 1;
  const pending = new Map<number, { resolve: (u: AnchorUpdate[]) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'anchoring' });
    w.onmessage = (event: MessageEvent) => {
      const parsed = workerReply.safeParse(event.data);
      if (!parsed.success) return;
      const entry = pending.get(parsed.data.seq);
      if (!entry) return;
      pending.delete(parsed.data.seq);
      if ('error' in parsed.data) entry.reject(new Error(parsed.data.error));
      else entry.resolve(parsed.data.updates);
    };
    w.onerror = (event) => {
      failAll(new Error(`anchoring worker: ${event.message}`));
      w.terminate();
      worker = null;
    };
    w.postMessage({ type: 'init', width: options.trackWidth ?? 320, options: options.tracker ?? {} });
    worker = w;
    return w;
  };

  return {
    anchor(id, bitmap, region, frameTime) {
      ensure().postMessage({ type: 'anchor', id, bitmap, region, frameTime }, [bitmap]);
    },
    pin(id, bitmap, region, frameTime) {
      ensure().postMessage({ type: 'pin', id, bitmap, region, frameTime }, [bitmap]);
    },
    track(bitmap, frameTime) {
      const w = ensure();
      const seq = nextSeq++;
      return new Promise<AnchorUpdate[]>((resolve, reject) => {
        pending.set(seq, { resolve, reject });
        w.postMessage({ type: 'track', seq, bitmap, frameTime }, [bitmap]);
      });
    },
    drop(id) {
      worker?.postMessage({ type: 'drop', id });
    },
    close() {
      failAll(new Error('the anchoring worker was closed'));
      worker?.terminate();
      worker = null;
    },
  };
}
