/**
 * Stand-in tracker engine (see `engine.ts`): normalised cross-correlation of each anchored region's
 * first look against later frames, in a Worker so the console's main thread only grabs frames.
 * Translation only; a match below `MIN_CONFIDENCE` (the object left, or was covered) is lost.
 */
import type { AnchorEngine, AnchorUpdate, Region } from './engine';
import type { TrackerReply, TrackerRequest } from './templateMatch';

export function createTemplateTracker(): AnchorEngine {
  const worker = new Worker(new URL('./templateWorker.ts', import.meta.url), { type: 'module' });
  let next = 1;
  const waiting = new Map<number, (updates: AnchorUpdate[]) => void>();
  worker.onmessage = (event: MessageEvent<TrackerReply>) => {
    const reply = event.data;
    waiting.get(reply.seq)?.(reply.updates);
    waiting.delete(reply.seq);
  };
  const post = (request: TrackerRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
  const anchor = (id: string, bitmap: ImageBitmap, region: Region, frameTime: number) =>
    post({ kind: 'anchor', id, bitmap, region, frameTime }, [bitmap]);
  return {
    anchor,
    pin: anchor,
    track(bitmap, frameTime) {
      const seq = next++;
      return new Promise<AnchorUpdate[]>((resolve) => {
        waiting.set(seq, resolve);
        post({ kind: 'track', seq, bitmap, frameTime }, [bitmap]);
      });
    },
    drop: (id) => post({ kind: 'drop', id }),
    close() {
      worker.terminate();
      for (const resolve of waiting.values()) resolve([]);
      waiting.clear();
    },
  };
}
