/**
 * The console's half of anchored marks (docs/contract.md "Anchored marks"): a mark finished on the
 * live video is anchored on the next frame the console shows; then, on every frame (throttled to
 * `TRACK_HZ`, skipped while the last one is still being tracked), the frame goes to the tracker
 * engine and each update to the customer's page and to this console's own model, so both draw the
 * mark where the object is. The engine loads with the first anchored mark.
 */
import { AnchorState, IDENTITY_TRANSFORM, type AnchorTransform, type MarkAnchor } from '@live-assist/protocol';
import type { AnnotationModel } from '@live-assist/client-core';
import { Store } from '../../store/store';
import type { AnchorEngine, AnchorUpdate } from './engine';
import { compose, regionOf } from './geometry';

/** Updates a second per mark: smooth enough to follow a hand-held object, light on both links. */
export const TRACK_HZ = 15;

export interface MarkAnchorsDeps {
  model: AnnotationModel;
  send(update: MarkAnchor): void;
  loadEngine(): Promise<AnchorEngine>;
  /** Where the lost marks are published (the lazy front's, which the surface reads from the start). */
  lost?: Store<{ ids: string[] }>;
}

type Tracked = {
  /** The mark's transform when it was (re)pinned; tracker updates are measured from there. */
  base: AnchorTransform;
  /**
   * Added to this page's media times so a mark's updates only ever count up: a reloaded console or
   * a new remote stream starts its media time again near 0, and older-looking updates are dropped.
   */
  offset: number;
  /** Waiting for a frame to be anchored on. */
  pending: boolean;
  lost: boolean;
  /**
   * Lost by the tracker at this frame time, and still in its hands: for a moment it looks for the
   * object around its last place (a hand passing over it, a jerk the video blurred), and a find
   * brings the mark back without a pin. Unset when lost otherwise (a freeze, a reload).
   */
  lostAt?: number;
};

/** How long a mark the tracker lost is still tracked for it to be found again (s): the tracker's own window and a frame more. */
const RECOVER_SECONDS = 1.2;

type FrameMeta = { mediaTime: number };
type FrameVideo = HTMLVideoElement & {
  requestVideoFrameCallback?(cb: (now: number, meta: FrameMeta) => void): number;
  cancelVideoFrameCallback?(handle: number): void;
};

export class MarkAnchors {
  /** Marks whose object was lost: the surface offers "Pin again" on each. */
  readonly lost: Store<{ ids: string[] }>;
  private readonly tracked = new Map<string, Tracked>();
  private engine: Promise<AnchorEngine> | null = null;
  private video: FrameVideo | null = null;
  private handle: number | null = null;
  private busy = false;
  private lastTracked = -Infinity;
  private disposed = false;
  private readonly off: () => void;

  constructor(private readonly deps: MarkAnchorsDeps) {
    this.lost = deps.lost ?? new Store<{ ids: string[] }>({ ids: [] });
    // Undo, clear, a removal from elsewhere, a freeze: whatever takes a mark away ends its tracking.
    this.off = deps.model.on('change', () => this.followModel());
  }

  /** The remote video the marks are drawn over; null while there is none. */
  setVideo(video: HTMLVideoElement | null): void {
    this.stopLoop();
    this.video = video;
    this.startLoop();
  }

  /** A mark is being drawn on the live video: the engine loads meanwhile, ready when it is finished. */
  prepare(): void {
    if (this.deps.model.view === null) this.engine ??= this.deps.loadEngine();
  }

  /** A mark was finished on the live video: anchor it on the next frame. */
  anchor(markId: string): void {
    const mark = this.deps.model.mark(markId);
    if (!mark?.anchored || this.deps.model.view !== null) return;
    this.tracked.set(markId, { base: IDENTITY_TRANSFORM, offset: 0, pending: true, lost: false });
    this.engine ??= this.deps.loadEngine();
    this.startLoop();
  }

  /** Re-anchors a lost mark where it is shown now, on the next frame. */
  pin(markId: string): void {
    const entry = this.tracked.get(markId);
    const mark = this.deps.model.mark(markId);
    if (!entry || !mark || this.deps.model.view !== null) return;
    entry.base = this.deps.model.anchor(markId)?.transform ?? entry.base;
    entry.pending = true;
    this.engine ??= this.deps.loadEngine();
    entry.lost = false;
    delete entry.lostAt;
    this.publishLost();
    this.startLoop();
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    this.stopLoop();
    void this.engine?.then((e) => e.close());
    this.tracked.clear();
  }

  private followModel(): void {
    const frozen = this.deps.model.view !== null;
    for (const [id, entry] of this.tracked) {
      if (!this.deps.model.mark(id)) {
        this.tracked.delete(id);
        void this.engine?.then((e) => e.drop(id));
      } else if (frozen && !entry.lost) {
        // A still does not move: the live marks wait, faded, to be pinned again after unfreezing.
        this.markLost(id, entry);
      }
    }
    this.publishLost();
  }

  private markLost(id: string, entry: Tracked): void {
    entry.lost = true;
    entry.pending = false;
    delete entry.lostAt;
    void this.engine?.then((e) => e.drop(id));
    const last = this.deps.model.anchor(id);
    this.emit({
      id,
      frameTime: (last?.frameTime ?? 0) + 1e-3 - entry.offset,
      transform: last?.transform ?? entry.base,
      confidence: 0,
      lost: true,
    });
  }

  private startLoop(): void {
    const video = this.video;
    if (this.handle !== null || !video?.requestVideoFrameCallback || this.disposed) return;
    this.handle = video.requestVideoFrameCallback((_now, meta) => {
      this.handle = null;
      this.onFrame(video, meta.mediaTime);
      this.startLoop();
    });
  }

  private stopLoop(): void {
    if (this.handle !== null) this.video?.cancelVideoFrameCallback?.(this.handle);
    this.handle = null;
  }

  /**
   * Finished anchored marks nobody here tracks (this console was reloaded, or took the seat over):
   * their object moves on without them, so they show as lost, ready to be pinned again. Done on a
   * frame, not on the state's arrival: the relay's newest update of each follows the state.
   */
  private adoptUntracked(): void {
    for (const mark of this.deps.model.visibleMarks()) {
      if (!mark.anchored || !mark.done || this.tracked.has(mark.id)) continue;
      const entry: Tracked = { base: IDENTITY_TRANSFORM, offset: 0, pending: false, lost: true };
      this.tracked.set(mark.id, entry);
      if (this.deps.model.anchor(mark.id)?.state !== AnchorState.lost) this.markLost(mark.id, entry);
    }
    this.publishLost();
  }

  private onFrame(video: HTMLVideoElement, frameTime: number): void {
    if (this.deps.model.view === null) this.adoptUntracked();
    if (this.busy || this.deps.model.view !== null || video.videoWidth === 0) return;
    const pending = [...this.tracked].filter(([, t]) => t.pending);
    const active = [...this.tracked.values()].some((t) => !t.pending && (!t.lost || t.lostAt !== undefined));
    const due = frameTime - this.lastTracked >= 1 / TRACK_HZ - 0.004;
    if (pending.length === 0 && !(active && due)) return;
    const aspect = video.videoWidth / video.videoHeight;
    // Grabbed now, inside the callback: the bitmaps are this frame, whatever the awaits take.
    const anchorShots = pending.map(([id, t]) => ({ id, t, shot: createImageBitmap(video) }));
    const trackShot = active && due ? createImageBitmap(video) : null;
    this.busy = true;
    void (async () => {
      try {
        const engine = await this.engine!;
        for (const { id, t, shot } of anchorShots) {
          const mark = this.deps.model.mark(id);
          const bitmap = await shot;
          if (!mark || !t.pending) {
            bitmap.close();
            continue;
          }
          engine.anchor(id, bitmap, regionOf(mark, t.base, aspect), frameTime);
          t.pending = false;
          // The anchoring frame counts as tracked: the next one is a full period later.
          this.lastTracked = frameTime;
        }
        if (trackShot) {
          this.lastTracked = frameTime;
          const updates = await engine.track(await trackShot, frameTime);
          for (const update of updates) this.apply(update);
        }
      } catch (err) {
        console.warn('[anchoring] tracking failed', err);
      } finally {
        this.busy = false;
      }
    })();
  }

  private apply(update: AnchorUpdate): void {
    const entry = this.tracked.get(update.id);
    if (!entry || entry.pending || (entry.lost && entry.lostAt === undefined)) return;
    const transform = compose(update.transform, entry.base);
    if (update.lost && entry.lostAt !== undefined) {
      // Still lost: already said. Past the window the tracker has given up; so does this page.
      if (update.frameTime - entry.lostAt > RECOVER_SECONDS) {
        delete entry.lostAt;
        this.engine?.then((e) => e.drop(update.id)).catch(() => undefined);
      }
      return;
    }
    if (update.lost) {
      entry.lost = true;
      entry.lostAt = update.frameTime;
      this.publishLost();
    } else if (entry.lost) {
      // Found again within the window.
      entry.lost = false;
      delete entry.lostAt;
      this.publishLost();
    }
    this.emit({ ...update, transform });
  }

  private emit(update: AnchorUpdate): void {
    const entry = this.tracked.get(update.id);
    const last = this.deps.model.anchor(update.id)?.frameTime ?? -Infinity;
    if (entry && update.frameTime + entry.offset <= last) entry.offset = last + 1e-3 - update.frameTime;
    const frame: MarkAnchor = {
      type: 'mark-anchor',
      markId: update.id,
      frameTime: update.frameTime + (entry?.offset ?? 0),
      transform: update.transform,
      state: update.lost ? AnchorState.lost : AnchorState.tracking,
    };
    this.deps.model.receiveAnchor(frame);
    this.deps.send(frame);
  }

  private publishLost(): void {
    const ids = [...this.tracked].filter(([, t]) => t.lost).map(([id]) => id);
    const now = this.lost.get().ids;
    if (ids.length !== now.length || ids.some((id, i) => id !== now[i])) this.lost.update({ ids });
  }
}
