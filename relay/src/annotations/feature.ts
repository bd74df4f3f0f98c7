import {
  AnnotationTool,
  ErrorCode,
  FreezeStatus,
  MAX_MARK_POINTS,
  MAX_MARKS,
  Role,
  type AnnotationState,
  type ClientToRelay,
  type Mark,
  type RelayToClient,
  type StoredImage,
} from '@live-assist/protocol';
import {
  otherRole,
  type FeatureRoom,
  type FeatureSender,
  type FrameOf,
  type RoomFeature,
  type RoomFeatureFactory,
} from '../rooms/feature.js';
import { emptyAnnotationState, type AnnotationStore } from './store.js';
import { LatestAnchors } from './anchors.js';

type Frame<T extends ClientToRelay['type']> = Extract<ClientToRelay, { type: T }>;

const SPECIALIST_ONLY = new Set<ClientToRelay['type']>([
  'annotation-start',
  'annotation-extend',
  'annotation-finish',
  'annotation-undo',
  'annotation-clear',
  'freeze',
  'unfreeze',
  'still-request',
  'snapshot-taken',
  'mark-anchor',
]);
const CUSTOMER_ONLY = new Set<ClientToRelay['type']>(['still-progress', 'still-ready', 'still-failed']);

/** Finds an upload of this session with a fresh signed URL; null when it is not one. */
export interface ImageLookup {
  find(sessionId: string, uploadId: string, purpose: 'still' | 'snapshot'): Promise<StoredImage | null>;
}

export interface AnnotationsFeatureOptions {
  store: AnnotationStore;
  images: ImageLookup;
  /** Coalesces saves of growing strokes; finished changes are saved at once. */
  saveDelayMs?: number;
  newId?: () => string;
  now?: () => number;
}

/** Every frame this feature owns. */
const ANNOTATION_FRAMES = [
  'annotation-start',
  'annotation-extend',
  'annotation-finish',
  'annotation-undo',
  'annotation-clear',
  'pointer',
  'freeze',
  'unfreeze',
  'still-request',
  'still-progress',
  'still-ready',
  'still-failed',
  'snapshot-taken',
  'annotation-sync',
  'mark-anchor',
] as const satisfies readonly ClientToRelay['type'][];
type AnnotationFrame = (typeof ANNOTATION_FRAMES)[number];

/**
 * Marks, freeze and snapshots of one session. The relay keeps the authoritative state so late join,
 * reload, reconnect and a relay restart all start from the same picture; pointers are only relayed.
 */
export class AnnotationsFeature implements RoomFeature<AnnotationFrame> {
  readonly frameTypes = ANNOTATION_FRAMES;

  private state: AnnotationState | null = null;
  private readonly loading: Promise<AnnotationState>;
  /** Ids removed by undo/clear: late extends for them are dropped quietly, not treated as bad. */
  private readonly removed = new Set<string>();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly anchors: LatestAnchors;

  constructor(
    private readonly sessionId: string,
    private readonly opts: AnnotationsFeatureOptions,
  ) {
    this.anchors = new LatestAnchors(() => this.now());
    this.loading = opts.store.load(sessionId).then(
      (loaded) => (this.state = loaded ?? emptyAnnotationState()),
      () => (this.state = emptyAnnotationState()),
    );
  }

  async joined(role: Role, room: FeatureRoom): Promise<void> {
    const state = this.state ?? (await this.loading);
    await this.refreshUrls(state);
    room.sendTo(role, { type: 'annotation-state', state: structuredClone(state) });
    // Where each anchored mark is now, so a page back from a reconnect does not show it where it was drawn.
    for (const update of this.anchors.current(new Set(state.marks.map((m) => m.id)))) room.sendTo(role, update);
  }

  observerJoined(room: FeatureRoom): Promise<void> {
    return this.joined(Role.specialist, room);
  }

  /** Signed URLs are short-lived: whoever joins gets freshly signed ones. */
  private async refreshUrls(state: AnnotationState): Promise<void> {
    const still = state.freeze?.still;
    if (still) {
      const fresh = await this.opts.images.find(this.sessionId, still.id, 'still');
      if (fresh && state.freeze?.still?.id === still.id) state.freeze.still = fresh;
    }
    for (const snap of state.snapshots) {
      const fresh = await this.opts.images.find(this.sessionId, snap.id, 'snapshot');
      if (fresh) snap.url = fresh.url;
    }
  }

  left(role: Role, room: FeatureRoom): void {
    // A pointer of someone who is gone must not hang on the other screen.
    room.sendTo(otherRole(role), { type: 'pointer', from: role, point: null });
  }

  ended(): void {
    this.flush();
  }

  handle(frame: FrameOf<AnnotationFrame>, from: FeatureSender, room: FeatureRoom): void | Promise<void> {
    if (SPECIALIST_ONLY.has(frame.type) && from.role !== Role.specialist) {
      room.reject(from, ErrorCode.forbidden, `only the specialist may send ${frame.type}`);
      return;
    }
    if (CUSTOMER_ONLY.has(frame.type) && from.role !== Role.customer) {
      room.reject(from, ErrorCode.forbidden, `only the customer may send ${frame.type}`);
      return;
    }
    if (frame.type === 'annotation-sync') return this.joined(from.role, room);
    if (frame.type === 'pointer') {
      // Latency matters most here: never wait for storage.
      const relayed = {
        type: 'pointer' as const,
        from: from.role,
        point: frame.point,
        ...(frame.seq === undefined ? {} : { seq: frame.seq }),
      };
      // `peer`: the other page has it already, straight over the call's data lane.
      if (frame.peer) room.sendToObservers(relayed);
      else room.sendTo(otherRole(from.role), relayed);
      return;
    }
    if (frame.type === 'mark-anchor') {
      if (this.state) return this.anchor(this.state, frame, from, room);
      return this.loading.then((state) => this.anchor(state, frame, from, room));
    }
    if (this.state) return this.apply(this.state, frame, from, room);
    return this.loading.then((state) => this.apply(state, frame, from, room));
  }

  private apply(
    state: AnnotationState,
    frame: FrameOf<Exclude<AnnotationFrame, 'annotation-sync' | 'pointer' | 'mark-anchor'>>,
    from: FeatureSender,
    room: FeatureRoom,
  ): void | Promise<void> {
    switch (frame.type) {
      case 'annotation-start':
        return this.start(state, frame, from, room);
      case 'annotation-extend':
        return this.extend(state, frame, from, room);
      case 'annotation-finish': {
        const mark = state.marks.find((m) => m.id === frame.id);
        if (!mark) return this.unknownMark(frame.id, from, room);
        mark.done = true;
        mark.version += 1;
        room.sendTo(Role.customer, { type: 'annotation-finish', id: mark.id });
        this.changed(true);
        return;
      }
      case 'annotation-undo': {
        const view = viewOf(state);
        const own = state.marks.filter((m) => m.author === from.role && m.stillId === view);
        const last = own.at(-1);
        if (last) this.remove(state, [last.id], room);
        return;
      }
      case 'annotation-clear':
        this.remove(
          state,
          state.marks.filter((m) => m.stillId === viewOf(state)).map((m) => m.id),
          room,
        );
        return;
      case 'freeze': {
        if (state.freeze) this.dropStillMarks(state, state.freeze.id, room);
        state.freeze = { id: this.newId(), status: FreezeStatus.capturing, progress: 0, still: null };
        room.broadcast({ type: 'freeze-state', freeze: structuredClone(state.freeze) });
        this.changed(true);
        return;
      }
      case 'unfreeze': {
        if (!state.freeze) return;
        this.dropStillMarks(state, state.freeze.id, room);
        state.freeze = null;
        room.broadcast({ type: 'freeze-state', freeze: null });
        this.changed(true);
        return;
      }
      case 'still-request':
        if (!room.sendTo(Role.customer, frame)) {
          room.reject(from, ErrorCode.noPeer, 'the customer is not connected');
        }
        return;
      case 'still-progress':
      case 'still-failed':
        return this.still(state, frame, room);
      case 'still-ready':
        return this.opts.images.find(this.sessionId, frame.uploadId, 'still').then((still) => {
          if (!still) {
            room.reject(from, ErrorCode.badFrame, `upload ${frame.uploadId} is not a still of this session`);
            return;
          }
          this.still(state, { type: 'still-ready', requestId: frame.requestId, still }, room);
        });
      case 'snapshot-taken':
        return this.opts.images.find(this.sessionId, frame.uploadId, 'snapshot').then((snapshot) => {
          if (!snapshot) {
            room.reject(from, ErrorCode.badFrame, `upload ${frame.uploadId} is not a snapshot of this session`);
            return;
          }
          if (state.snapshots.some((s) => s.id === snapshot.id)) return;
          state.snapshots.push({ ...snapshot, createdAt: this.now() });
          if (state.snapshots.length > 200) state.snapshots.shift();
          room.sendTo(Role.specialist, { type: 'snapshots', snapshots: structuredClone(state.snapshots) });
          this.changed(true);
        });
      default:
        return;
    }
  }

  /** Latency matters here too: relayed at once, never stored; only the newest per mark is kept in memory. */
  private anchor(state: AnnotationState, frame: Frame<'mark-anchor'>, from: FeatureSender, room: FeatureRoom): void {
    const mark = state.marks.find((m) => m.id === frame.markId);
    if (!mark) return this.unknownMark(frame.markId, from, room);
    if (!mark.anchored) {
      room.reject(from, ErrorCode.badFrame, `mark ${frame.markId} is not anchored`);
      return;
    }
    const { peer, ...update } = frame;
    const taken = this.anchors.take(update);
    if (taken === 'rate-limited') {
      if (this.anchors.shouldWarn()) room.reject(from, ErrorCode.rateLimited, 'too many anchor updates; some were dropped');
      return;
    }
    if (taken === 'stale') return;
    // `peer`: the customer's page has it already, straight over the call's data lane.
    if (peer) room.sendToObservers(update);
    else room.sendTo(Role.customer, update);
  }

  private start(state: AnnotationState, frame: Frame<'annotation-start'>, from: FeatureSender, room: FeatureRoom): void {
    if (state.marks.some((m) => m.id === frame.id) || this.removed.has(frame.id)) {
      room.reject(from, ErrorCode.badFrame, `mark ${frame.id} already exists`);
      return;
    }
    if (state.marks.length >= MAX_MARKS) {
      room.reject(from, ErrorCode.badFrame, `a session holds at most ${MAX_MARKS} marks; clear some first`);
      return;
    }
    const twoPoint = frame.tool !== AnnotationTool.freehand;
    const first = frame.points[0]!;
    const mark: Mark = {
      id: frame.id,
      author: from.role,
      tool: frame.tool,
      color: frame.color,
      width: frame.width,
      points: twoPoint ? [first, frame.points.at(-1)!] : frame.points,
      stillId: viewOf(state),
      done: false,
      version: 0,
      // Only the live video moves under a mark; a still never does.
      ...(frame.anchored && viewOf(state) === null ? { anchored: true as const } : {}),
    };
    state.marks.push(mark);
    room.sendTo(Role.customer, { type: 'annotation-start', mark: structuredClone(mark) });
    this.changed(false);
  }

  private extend(state: AnnotationState, frame: Frame<'annotation-extend'>, from: FeatureSender, room: FeatureRoom): void {
    const mark = state.marks.find((m) => m.id === frame.id);
    if (!mark) return this.unknownMark(frame.id, from, room);
    if (mark.tool === AnnotationTool.freehand) {
      if (mark.points.length + frame.points.length > MAX_MARK_POINTS) {
        room.reject(from, ErrorCode.badFrame, `a stroke holds at most ${MAX_MARK_POINTS} points`);
        return;
      }
      mark.points.push(...frame.points);
    } else {
      mark.points = [mark.points[0]!, frame.points.at(-1)!];
    }
    mark.version += 1;
    room.sendTo(Role.customer, {
      type: 'annotation-extend',
      id: mark.id,
      points: mark.tool === AnnotationTool.freehand ? frame.points : [mark.points[1]!],
      version: mark.version,
    });
    this.changed(false);
  }

  private still(
    state: AnnotationState,
    frame: Frame<'still-progress' | 'still-failed'> | Extract<RelayToClient, { type: 'still-ready' }>,
    room: FeatureRoom,
  ): void {
    const freeze = state.freeze;
    if (!freeze || freeze.id !== frame.requestId) {
      // A snapshot still: only the specialist who asked for it cares.
      room.sendTo(Role.specialist, frame);
      return;
    }
    if (frame.type === 'still-progress') {
      if (freeze.status !== FreezeStatus.capturing) return;
      freeze.progress = frame.progress;
    } else if (frame.type === 'still-ready') {
      freeze.status = FreezeStatus.ready;
      freeze.progress = 1;
      freeze.still = frame.still;
    } else {
      freeze.status = FreezeStatus.failed;
    }
    room.broadcast({ type: 'freeze-state', freeze: structuredClone(freeze) });
    this.changed(frame.type !== 'still-progress');
  }

  private dropStillMarks(state: AnnotationState, stillId: string, room: FeatureRoom): void {
    this.remove(
      state,
      state.marks.filter((m) => m.stillId === stillId).map((m) => m.id),
      room,
    );
  }

  private remove(state: AnnotationState, ids: string[], room: FeatureRoom): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    state.marks = state.marks.filter((m) => !gone.has(m.id));
    for (const id of ids) this.removed.add(id);
    this.anchors.forget(ids);
    room.broadcast({ type: 'annotation-remove', ids });
    this.changed(true);
  }

  private unknownMark(id: string, from: FeatureSender, room: FeatureRoom): void {
    if (this.removed.has(id)) return; // undone or cleared while still being drawn
    room.reject(from, ErrorCode.badFrame, `no mark ${id}`);
  }

  private changed(now: boolean): void {
    if (now) {
      this.flush();
      return;
    }
    this.saveTimer ??= setTimeout(() => this.flush(), this.opts.saveDelayMs ?? 200);
  }

  private flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const snapshot = this.state ? structuredClone(this.state) : null;
    if (!snapshot) return;
    // Saves run one after another so an older state never lands after a newer one.
    this.saving = this.saving
      .then(() => this.opts.store.save(this.sessionId, snapshot))
      .catch((err: unknown) => console.error('[annotations] could not save state', err));
  }

  /** Resolves once every save issued so far has finished (tests, shutdown). */
  settled(): Promise<void> {
    return this.saving;
  }

  private newId(): string {
    return this.opts.newId?.() ?? crypto.randomUUID();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}

function viewOf(state: AnnotationState): string | null {
  return state.freeze?.id ?? null;
}

export function annotationsFeature(opts: AnnotationsFeatureOptions): RoomFeatureFactory<AnnotationFrame> {
  return ({ sessionId }) => new AnnotationsFeature(sessionId, opts);
}
