/**
 * The console's anchoring as its first load carries it: this front only. The tracking loop
 * (`markAnchors.ts`) loads when a mark is first drawn on the live video, or when the session
 * already holds anchored marks (a reloaded console), and the tracker engine with it; also a few
 * seconds after the live video starts playing, off the join's path, so the first mark is tracked
 * from its first frames rather than once a starting engine catches up (1.5 s on a busy machine,
 * by which time the object may have moved out of reach).
 */
import type { AnnotationModel } from '@live-assist/client-core';
import type { MarkAnchor } from '@live-assist/protocol';
import { Store } from '../../store/store';
import type { AnchorEngine } from './engine';
import type { MarkAnchors } from './markAnchors';

export interface LazyMarkAnchorsDeps {
  model: AnnotationModel;
  send(update: MarkAnchor): void;
  /** Tests pass their own; by default the tracker worker of `@live-assist/client-core/anchoring`. */
  loadEngine?: () => Promise<AnchorEngine>;
}

/** After the live video starts, the engine loads this much later: the join's own work is done by then. */
export const WARM_AFTER_MS = 3_000;

export class LazyMarkAnchors {
  /** Marks whose object was lost: the surface offers "Pin again" on each. */
  readonly lost = new Store<{ ids: string[] }>({ ids: [] });
  private loop: Promise<MarkAnchors> | null = null;
  private video: HTMLVideoElement | null = null;
  private disposed = false;
  private readonly off: () => void;
  private stopWarming: () => void = () => undefined;

  constructor(private readonly deps: LazyMarkAnchorsDeps) {
    // A console opened on a session that already has anchored marks tracks (or offers to pin) them.
    const check = () => {
      if (deps.model.visibleMarks().some((m) => m.anchored && m.done)) void this.load();
    };
    this.off = deps.model.on('change', check);
    check();
  }

  setVideo(video: HTMLVideoElement | null): void {
    this.video = video;
    void this.loop?.then((loop) => loop.setVideo(video));
    this.warmWhenPlaying(video);
  }

  private warmWhenPlaying(video: HTMLVideoElement | null): void {
    this.stopWarming();
    this.stopWarming = () => undefined;
    if (!video || this.loop) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const playing = () => {
      timer ??= setTimeout(() => this.prepare(), WARM_AFTER_MS);
    };
    video.addEventListener('playing', playing);
    this.stopWarming = () => {
      video.removeEventListener('playing', playing);
      if (timer) clearTimeout(timer);
    };
  }

  /** A mark is being drawn on the live video: the loop and engine load meanwhile. */
  prepare(): void {
    if (this.deps.model.view === null) void this.load().then((loop) => loop.prepare());
  }

  anchor(markId: string): void {
    void this.load().then((loop) => loop.anchor(markId));
  }

  pin(markId: string): void {
    void this.load().then((loop) => loop.pin(markId));
  }

  /** Resolves with the loop once loaded (tests). */
  load(): Promise<MarkAnchors> {
    this.loop ??= Promise.all([import('./markAnchors'), import('./engine')]).then(([{ MarkAnchors }, { loadEngine }]) => {
      const loop = new MarkAnchors({
        model: this.deps.model,
        send: this.deps.send,
        loadEngine: this.deps.loadEngine ?? loadEngine,
        lost: this.lost,
      });
      if (this.disposed) loop.dispose();
      else loop.setVideo(this.video);
      return loop;
    });
    return this.loop;
  }

  dispose(): void {
    this.disposed = true;
    this.stopWarming();
    this.off();
    void this.loop?.then((loop) => loop.dispose());
  }
}
