import {
  AnnotationTool,
  MAX_MARK_POINTS,
  type ClientToRelay,
  type MarkColor,
  type MarkWidth,
  type Point,
  type Role,
} from '@live-assist/protocol';
import type { AnnotationModel } from './model.js';

export interface DrawerDeps {
  model: AnnotationModel;
  role: Role;
  send(frame: ClientToRelay): void;
  /** `sendWindow` in a page; tests pass a manual scheduler. */
  schedule(run: () => void): void;
  newId?: () => string;
  /**
   * Marks drawn on the live video are anchored (`anchored: true`): this page tracks the object under
   * them once finished (`onFinish`). Marks on a still never are.
   */
  anchorLive?: boolean;
  /** A mark was finished (pointer released): the console anchors it. */
  onFinish?(id: string): void;
}

export interface DrawStyle {
  tool: AnnotationTool;
  color: MarkColor;
  width: MarkWidth;
}

/**
 * Shortest gap between two coalesced sends. Short enough that 60–120 Hz input goes out untouched,
 * long enough that a 1000 Hz gaming mouse cannot flood the relay. Timer based on purpose: a busy page
 * runs animation frames at 20–30 Hz, and gating on them held every second move back by a frame.
 */
export const SEND_WINDOW_MS = 8;

export function sendWindow(run: () => void): void {
  setTimeout(run, SEND_WINDOW_MS);
}

/**
 * Turns one page's pointer input (already mapped to frame fractions) into annotation frames.
 * Input is coalesced per send window, leading edge first: the first move in a window goes out at
 * once (no added latency), later ones in the same window are merged and sent when it closes.
 */
export class AnnotationDrawer {
  private current: { id: string; tool: AnnotationTool; points: number } | null = null;
  private pendingPoints: Point[] = [];
  private pendingPointer: Point | null | undefined = undefined;
  private gated = false;

  constructor(private readonly deps: DrawerDeps) {}

  get drawing(): boolean {
    return this.current !== null;
  }

  /** Pointer went down on the picture. */
  down(style: DrawStyle, point: Point): void {
    if (style.tool === AnnotationTool.pointer) {
      this.pointer(point);
      return;
    }
    this.up();
    const id = this.deps.newId?.() ?? crypto.randomUUID();
    const points: Point[] = style.tool === AnnotationTool.freehand ? [point] : [point, point];
    this.current = { id, tool: style.tool, points: 1 };
    const anchored = this.deps.anchorLive === true && this.deps.model.view === null;
    this.deps.model.addLocal({
      id,
      author: this.deps.role,
      tool: style.tool,
      color: style.color,
      width: style.width,
      points,
      stillId: this.deps.model.view,
      done: false,
      version: 0,
      ...(anchored ? { anchored: true as const } : {}),
    });
    this.deps.send({
      type: 'annotation-start',
      id,
      tool: style.tool,
      color: style.color,
      width: style.width,
      points: [point],
      ...(anchored ? { anchored: true as const } : {}),
    });
  }

  /** Pointer moved (button held for marks; any movement for the pointer tool). */
  move(tool: AnnotationTool, point: Point): void {
    if (tool === AnnotationTool.pointer) {
      this.pointer(point);
      return;
    }
    const cur = this.current;
    if (!cur) return;
    if (cur.tool === AnnotationTool.freehand) {
      if (cur.points >= MAX_MARK_POINTS) return;
      cur.points += 1;
      this.pendingPoints.push(point);
    } else {
      this.pendingPoints = [point];
    }
    this.kick();
    this.deps.model.extend(cur.id, [point]);
  }

  /** Pointer released: the mark is complete. */
  up(): void {
    const cur = this.current;
    if (!cur) return;
    this.flushMark();
    this.current = null;
    // Told first: whoever watches the model then sees a finished mark that is already being anchored.
    this.deps.onFinish?.(cur.id);
    this.deps.model.finish(cur.id);
    this.deps.send({ type: 'annotation-finish', id: cur.id });
  }

  /** Shows this side's pointer at `point`, or hides it (null). */
  pointer(point: Point | null): void {
    if (point === null) {
      if (this.deps.model.pointer(this.deps.role) === null && this.pendingPointer === undefined) return;
      this.deps.model.setPointer(this.deps.role, null);
      // Hiding is never coalesced away behind a stale position.
      this.pendingPointer = undefined;
      this.deps.send({ type: 'pointer', point: null });
      return;
    }
    // Sent before the local paint: drawing here forces a layout that the other side need not wait for.
    this.pendingPointer = point;
    this.kick();
    this.deps.model.setPointer(this.deps.role, point);
  }

  private kick(): void {
    if (this.gated) return;
    this.flush();
    this.gated = true;
    const reopen = () => {
      if (this.pendingPoints.length > 0 || this.pendingPointer !== undefined) {
        this.flush();
        this.deps.schedule(reopen);
      } else {
        this.gated = false;
      }
    };
    this.deps.schedule(reopen);
  }

  private flush(): void {
    this.flushMark();
    if (this.pendingPointer !== undefined) {
      this.deps.send({ type: 'pointer', point: this.pendingPointer });
      this.pendingPointer = undefined;
    }
  }

  private flushMark(): void {
    const cur = this.current;
    if (!cur || this.pendingPoints.length === 0) return;
    this.deps.send({ type: 'annotation-extend', id: cur.id, points: this.pendingPoints });
    this.pendingPoints = [];
  }
}
