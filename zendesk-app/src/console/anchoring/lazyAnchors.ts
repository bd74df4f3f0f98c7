/**
 * The console's anchoring as its first load carries it: this front only. The tracking loop
 * (`markAnchors.ts`) loads when a mark is first drawn on the live video, or when the session
 * already holds anchored marks (a reloaded console), and the tracker engine with it.
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

export class LazyMarkAnchors {
  /** Marks whose object was lost: the surface offers "Pin again" on each. */
  readonly lost = new Store<{ ids: string[] }>({ ids: [] });
  private loop: Promise<MarkAnchors> | null = null;
  private video: HTMLVideoElement | null = null;
  private disposed = false;
  private readonly off: () => void;

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
    this.off();
    void this.loop?.then((loop) => loop.dispose());
  }
}
