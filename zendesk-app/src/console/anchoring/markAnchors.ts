/**
 * The console's half of anchored marks (docs/contract.md "Anchored marks"): a mark finished on the
 * live video is anchored on the next frame the console shows; then, on every frame (throttled to
 * `TRACK_HZ`, skipped while the last one is still being tracked), the frame goes to the tracker
 * engine and each update to the customer's page and to this console's own model, so both draw the
 * mark where the object is. The engine loads with the first anchored mark. While the engine is
 * slower than the video (starting, or on a starved machine) the frames wait for it in order rather
 * than being skipped: the tracker follows a few steps of small moves, not one long jump.
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
  /** The frame it was last anchored on: updates from frames before it are the old anchor's. */
  anchoredAt?: number;
};

/** How long a mark the tracker lost is still tracked for it to be found again (s): the tracker's own window and a frame more. */
const RECOVER_SECONDS = 1.2;

/**
 * While the engine is slow, frames wait for it at least this far apart (s): a step the tracker
 * follows (at the fastest a hand moves an object, a fifth of the picture a second, some 20 px of
 * the tracking size). Frames closer than that are skipped for the newest: a quick engine works on
 * the newest frame, and the mark does not fall behind the picture.
 */
const MIN_STEP_S = 0.3;
/** At most this many wait (each one a step the mark shows late, and a full-size bitmap held). */
const MAX_WAITING = 4;

type Job =
  | { kind: 'anchor'; id: string; entry: Tracked; region: ReturnType<typeof regionOf>; shot: Promise<ImageBitmap>; frameTime: number }
  | { kind: 'track'; shot: Promise<ImageBitmap>; frameTime: number };

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
  /** Frames taken for the engine, oldest first, and whether they are being worked through. */
  private readonly jobs: Job[] = [];
  private pumping = false;
  private lastTaken = -Infinity;
  /** The frame last handed to the engine (its time). */
  private handed = -Infinity;
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
    if (this.deps.model.view !== null || video.videoWidth === 0) return;
    const pending = [...this.tracked].filter(([, t]) => t.pending);
    const active = [...this.tracked.values()].some((t) => !t.pending && (!t.lost || t.lostAt !== undefined));
    const due = frameTime - this.lastTaken >= 1 / TRACK_HZ - 0.004;
    if (pending.length === 0 && !(active && due)) return;
    const aspect = video.videoWidth / video.videoHeight;
    // Grabbed now, inside the callback: the bitmaps are this frame, whatever the engine's wait.
    for (const [id, entry] of pending) {
      const mark = this.deps.model.mark(id);
      if (!mark) continue;
      entry.pending = false;
      entry.anchoredAt = frameTime;
      this.jobs.push({ kind: 'anchor', id, entry, region: regionOf(mark, entry.base, aspect), shot: createImageBitmap(video), frameTime });
    }
    if (active && due) this.jobs.push({ kind: 'track', shot: createImageBitmap(video), frameTime });
    // The anchoring frame counts as tracked: the next one is a full period later.
    this.lastTaken = frameTime;
    this.thin();
    this.pump();
  }

  /**
   * Frames to track that wait closer than `MIN_STEP_S`, or past `MAX_WAITING` of them, go, the one
   * leaving the shortest gap first and never the newest: what is kept spans the wait evenly from
   * the frame the engine has.
   */
  private thin(): void {
    for (;;) {
      const waiting = this.jobs.filter((j) => j.kind === 'track');
      if (waiting.length < 2) return;
      const gap = (i: number) => waiting[i + 1]!.frameTime - (i === 0 ? this.handed : waiting[i - 1]!.frameTime);
      let drop = 0;
      for (let i = 1; i < waiting.length - 1; i += 1) if (gap(i) < gap(drop)) drop = i;
      if (waiting.length <= MAX_WAITING && gap(drop) > MIN_STEP_S) return;
      const job = waiting[drop]!;
      void job.shot.then((b) => b.close()).catch(() => undefined);
      this.jobs.splice(this.jobs.indexOf(job), 1);
    }
  }

  /** Works through the waiting frames in order, one at a time. */
  private pump(): void {
    if (this.pumping || !this.engine) return;
    this.pumping = true;
    const engine = this.engine;
    void (async () => {
      try {
        const e = await engine;
        for (let job = this.jobs.shift(); job; job = this.jobs.shift()) {
          const bitmap = await job.shot;
          this.handed = job.frameTime;
          if (this.disposed) {
            bitmap.close();
          } else if (job.kind === 'anchor') {
            // Undone, or pinned again, while it waited: that frame is not its anchor any more.
            if (this.tracked.get(job.id) === job.entry && job.entry.anchoredAt === job.frameTime) {
              e.anchor(job.id, bitmap, job.region, job.frameTime);
            } else bitmap.close();
          } else {
            for (const update of await e.track(bitmap, job.frameTime)) this.apply(update);
          }
        }
      } catch (err) {
        console.warn('[anchoring] tracking failed', err);
      } finally {
        this.pumping = false;
      }
    })();
  }

  private apply(update: AnchorUpdate): void {
    const entry = this.tracked.get(update.id);
    if (!entry || entry.pending || (entry.lost && entry.lostAt === undefined)) return;
    if (entry.anchoredAt !== undefined && update.frameTime < entry.anchoredAt) return;
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
