import {
  AnchorState,
  AnnotationTool,
  anchorNewer,
  type MarkAnchor,
  type AnnotationState,
  type FreezeState,
  type Mark,
  type Point,
  type RelayToClient,
  type Role,
  type Snapshot,
  pointerSeqNewer,
} from '@live-assist/protocol';
import { Emitter } from '../emitter.js';

export interface PointerTrailPoint {
  point: Point;
  /** performance.now() when it arrived. */
  at: number;
}

export interface PointerView {
  point: Point;
  trail: PointerTrailPoint[];
}

/** How long trail points stay visible. */
export const TRAIL_MS = 350;
const TRAIL_MAX = 16;
/**
 * Trail points closer in time than this are merged into the newest one: at 60 Hz input the trail
 * looks the same with half the points, and each point is an element repainted every frame.
 */
const TRAIL_SPACING_MS = 30;

/**
 * `change`: marks, freeze or snapshots (what React shows); `pointer`: a pointer moved. Pointers move
 * up to 60 times a second and only the overlay draws them, so they do not re-render React.
 */
type ModelEvents = { change: void; pointer: Role; anchor: string };

/** Where an anchored mark sits now: the newest update from the console's tracker. */
export type MarkAnchorView = Pick<MarkAnchor, 'frameTime' | 'transform' | 'state'> & {
  /** clock() when it arrived (when it went lost, for a lost one that was tracking before). */
  at: number;
};

/**
 * One page's view of the session's annotations: marks, freeze, snapshots and both pointers.
 * Fed with relay frames and with this page's own optimistic drawing; no DOM, no sockets.
 */
export class AnnotationModel {
  private readonly events = new Emitter<ModelEvents>();
  private marks = new Map<string, Mark>();
  private freezeState: FreezeState | null = null;
  private snapshotList: Snapshot[] = [];
  private readonly pointers: Record<Role, PointerView | null> = { specialist: null, customer: null };
  /** The newest `seq` shown of each side's pointer stream. */
  private readonly pointerSeq: Record<Role, number | null> = { specialist: null, customer: null };
  private anchors = new Map<string, MarkAnchorView>();
  /** Bumped on every change; lets React's useSyncExternalStore see a new snapshot. */
  revision = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  on = this.events.on.bind(this.events);

  get freeze(): FreezeState | null {
    return this.freezeState;
  }

  get snapshots(): readonly Snapshot[] {
    return this.snapshotList;
  }

  /** The still marks belong to, or null for the live video. */
  get view(): string | null {
    return this.freezeState?.id ?? null;
  }

  /** Marks on what is shown now (the still while frozen), oldest first. */
  visibleMarks(): Mark[] {
    const view = this.view;
    return [...this.marks.values()].filter((m) => m.stillId === view);
  }

  mark(id: string): Mark | undefined {
    return this.marks.get(id);
  }

  /** The newest anchor update of a mark; undefined while it has none (it stays where it was drawn). */
  anchor(id: string): MarkAnchorView | undefined {
    return this.anchors.get(id);
  }

  pointer(role: Role): PointerView | null {
    return this.pointers[role];
  }

  /** Applies a relay frame; returns false for frames that are not about annotations. */
  apply(frame: RelayToClient): boolean {
    switch (frame.type) {
      case 'annotation-state':
        this.reset(frame.state);
        return true;
      case 'annotation-start':
        this.marks.set(frame.mark.id, frame.mark);
        break;
      case 'annotation-extend':
        this.extend(frame.id, frame.points, frame.version);
        break;
      case 'annotation-finish':
        this.finish(frame.id);
        break;
      case 'annotation-remove':
        for (const id of frame.ids) {
          this.marks.delete(id);
          this.anchors.delete(id);
        }
        break;
      case 'mark-anchor':
        this.receiveAnchor(frame);
        return true;
      case 'pointer':
        this.receivePointer(frame.from, frame.point, frame.seq);
        return true;
      case 'freeze-state':
        this.setFreeze(frame.freeze);
        return true;
      case 'snapshots':
        this.snapshotList = frame.snapshots;
        break;
      default:
        return false;
    }
    this.changed();
    return true;
  }

  reset(state: AnnotationState): void {
    this.marks = new Map(state.marks.map((m) => [m.id, m]));
    for (const id of this.anchors.keys()) if (!this.marks.has(id)) this.anchors.delete(id);
    this.freezeState = state.freeze;
    this.snapshotList = state.snapshots;
    this.changed();
  }

  /** This page started a mark (optimistic; the relay does not echo it back). */
  addLocal(mark: Mark): void {
    this.marks.set(mark.id, mark);
    this.changed();
  }

  extend(id: string, points: Point[], version?: number): void {
    const mark = this.marks.get(id);
    if (!mark) return;
    const next: Mark =
      mark.tool === AnnotationTool.freehand
        ? { ...mark, points: [...mark.points, ...points] }
        : { ...mark, points: [mark.points[0]!, points.at(-1)!] };
    next.version = version ?? mark.version + 1;
    this.marks.set(id, next);
    this.changed();
  }

  finish(id: string): void {
    const mark = this.marks.get(id);
    if (!mark) return;
    this.marks.set(id, { ...mark, done: true, version: mark.version + 1 });
    this.changed();
  }

  /**
   * An anchored mark moved (or lost its object), from the relay, the call's data lane or this
   * console's own tracker: the newest frame wins, so a late copy never moves the mark back. Emits
   * `anchor`, not `change`: up to 15 a second per mark, and only the overlay draws them.
   */
  receiveAnchor(update: Pick<MarkAnchor, 'markId' | 'frameTime' | 'transform' | 'state'>): void {
    const last = this.anchors.get(update.markId);
    if (!anchorNewer(update, last)) return;
    const keepSince = last?.state === AnchorState.lost && update.state === AnchorState.lost;
    this.anchors.set(update.markId, {
      frameTime: update.frameTime,
      transform: update.transform,
      state: update.state,
      at: keepSince ? last.at : this.clock(),
    });
    this.events.emit('anchor', update.markId);
  }

  /**
   * The other side's pointer, from the relay or straight over the call's data channel: whichever
   * path brings a position first shows it, and an older one arriving later is dropped, so a late
   * datagram never moves the dot back (or shows it again after it was hidden). A frame without a
   * `seq` (the relay hiding the pointer of someone who left) starts the count afresh.
   */
  receivePointer(role: Role, point: Point | null, seq?: number): void {
    if (seq === undefined) {
      this.pointerSeq[role] = null;
    } else {
      const last = this.pointerSeq[role];
      if (last !== null && !pointerSeqNewer(seq, last)) return;
      this.pointerSeq[role] = seq;
    }
    this.setPointer(role, point);
  }

  setPointer(role: Role, point: Point | null): void {
    if (!point) {
      this.pointers[role] = null;
    } else {
      const now = this.clock();
      const trail = (this.pointers[role]?.trail ?? []).filter((t) => now - t.at < TRAIL_MS).slice(-TRAIL_MAX + 1);
      const head = trail.at(-1);
      // A young head follows the pointer; once it has aged it stays behind as a trail point.
      if (head && now - head.at < TRAIL_SPACING_MS) trail[trail.length - 1] = { point, at: head.at };
      else trail.push({ point, at: now });
      this.pointers[role] = { point, trail };
    }
    this.events.emit('pointer', role);
  }

  setFreeze(freeze: FreezeState | null): void {
    const previous = this.freezeState;
    if (previous && previous.id !== freeze?.id) {
      // The still's marks leave with it (the relay removes them too).
      for (const [id, m] of this.marks) if (m.stillId === previous.id) this.marks.delete(id);
    }
    this.freezeState = freeze;
    this.changed();
  }

  private changed(): void {
    this.revision += 1;
    this.events.emit('change', undefined);
  }
}
