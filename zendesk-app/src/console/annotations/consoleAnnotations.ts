import {
  AnnotationDrawer,
  LaneSwitch,
  PointerRoute,
  receivePeerPointers,
  sendAnchor,
  sendWindow,
  AnnotationModel,
  composeSnapshot,
  loadImage,
  uploadImage,
  type PeerDatagrams,
  type RelaySocketEvents,
} from '@live-assist/client-core';
import {
  AnnotationTool,
  FreezeStatus,
  MARK_COLORS,
  MARK_WIDTHS,
  Role,
  UploadPurpose,
  type ClientToRelay,
  type Mark,
  type MarkColor,
  type MarkWidth,
  type Point,
  type StoredImage,
} from '@live-assist/protocol';
import { Store } from '../../store/store';
import { LazyMarkAnchors } from '../anchoring/lazyAnchors';
import type { AnchorEngine } from '../anchoring/engine';

/** The part of the relay socket annotations need. */
export interface AnnotationSocket {
  send(frame: ClientToRelay): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

export interface ConsoleAnnotationsDeps {
  socket: AnnotationSocket;
  sessionId: string;
  specialistToken: string;
  relayUrl: string;
  /** Straight to the customer's page while the P2P pair is up; without it the pointer takes the relay. */
  lane?: PeerDatagrams;
  /** Whether observers watch: they get the pointer over the relay even while the lane carries it. */
  watched?: () => boolean;
  schedule?: (run: () => void) => void;
  /** Loads, composes and uploads a snapshot; replaced in unit tests. */
  makeSnapshot?: (still: StoredImage, marks: Mark[]) => Promise<StoredImage>;
  newId?: () => string;
  /**
   * Whether marks on the live video follow their object (the seat holder's console; an observer's
   * only shows them). The engine loads with the first anchored mark; tests pass their own.
   */
  anchoring?: { loadEngine?: () => Promise<AnchorEngine> } | false;
}

export const SnapshotPhase = { idle: 'idle', working: 'working', failed: 'failed' } as const;
export type SnapshotPhase = (typeof SnapshotPhase)[keyof typeof SnapshotPhase];

export type ToolState = {
  tool: AnnotationTool;
  color: MarkColor;
  width: MarkWidth;
  snapshot: SnapshotPhase;
};

/** Still requests for snapshots that wait for the customer's upload. */
const STILL_TIMEOUT_MS = 30_000;

/**
 * The specialist's annotation controls: current tool, color and width, drawing into the shared
 * model, freeze/unfreeze, undo/clear and snapshots. Plain TS; React components only adapt it.
 */
export class ConsoleAnnotations {
  readonly model = new AnnotationModel();
  readonly tools = new Store<ToolState>({
    tool: AnnotationTool.rectangle,
    color: MARK_COLORS[0],
    width: MARK_WIDTHS[1],
    snapshot: SnapshotPhase.idle,
  });
  private readonly drawer: AnnotationDrawer;
  /** Tracks anchored marks on the live video; null on an observer's console. */
  readonly anchors: LazyMarkAnchors | null;
  private readonly offs: Array<() => void> = [];
  private readonly waiting = new Map<string, { resolve: (s: StoredImage) => void; reject: (e: Error) => void }>();

  constructor(private readonly deps: ConsoleAnnotationsDeps) {
    const lane = deps.lane ?? new LaneSwitch();
    const route = new PointerRoute({ relay: (frame) => void deps.socket.send(frame), lane, mirrored: deps.watched ?? (() => false) });
    const anchoring = deps.anchoring ?? {};
    this.anchors = anchoring
      ? new LazyMarkAnchors({
          model: this.model,
          send: (update) => sendAnchor(update, lane, (frame) => void deps.socket.send(frame)),
          ...(anchoring.loadEngine ? { loadEngine: anchoring.loadEngine } : {}),
        })
      : null;
    const anchors = this.anchors;
    this.drawer = new AnnotationDrawer({
      ...(anchors ? { anchorLive: true, onFinish: (id: string) => anchors.anchor(id) } : {}),
      model: this.model,
      role: Role.specialist,
      send: (frame) => route.send(frame),
      schedule: deps.schedule ?? sendWindow,
      ...(deps.newId ? { newId: deps.newId } : {}),
    });
    this.offs.push(
      receivePeerPointers(lane, this.model, Role.customer),
      deps.socket.on('frame', (frame) => {
        this.model.apply(frame);
        if (frame.type === 'still-ready') this.waiting.get(frame.requestId)?.resolve(frame.still);
        if (frame.type === 'still-failed') this.waiting.get(frame.requestId)?.reject(new Error(frame.reason));
      }),
    );
    // Created after the socket joined, so the state sent on join may already have gone by.
    deps.socket.send({ type: 'annotation-sync' });
  }

  setTool(tool: AnnotationTool): void {
    if (tool !== AnnotationTool.pointer) this.drawer.pointer(null);
    this.tools.update({ tool });
  }

  setColor(color: MarkColor): void {
    this.tools.update({ color });
  }

  setWidth(width: MarkWidth): void {
    this.tools.update({ width });
  }

  /** Input over the picture, already mapped to frame fractions. */
  pointerDown(point: Point): void {
    if (this.tools.get().tool !== AnnotationTool.pointer) this.anchors?.prepare();
    this.drawer.down(this.tools.get(), point);
  }

  pointerMove(point: Point, buttonHeld: boolean): void {
    const { tool } = this.tools.get();
    if (tool === AnnotationTool.pointer) this.drawer.pointer(point);
    else if (buttonHeld) this.drawer.move(tool, point);
  }

  pointerUp(): void {
    this.drawer.up();
  }

  /** The pointer left the picture: the laser dot disappears. */
  pointerLeave(): void {
    if (this.tools.get().tool === AnnotationTool.pointer) this.drawer.pointer(null);
  }

  undo(): void {
    this.drawer.up();
    this.deps.socket.send({ type: 'annotation-undo' });
  }

  clear(): void {
    this.drawer.up();
    this.deps.socket.send({ type: 'annotation-clear' });
  }

  get frozen(): boolean {
    return this.model.freeze !== null;
  }

  toggleFreeze(): void {
    this.drawer.up();
    this.deps.socket.send({ type: this.frozen ? 'unfreeze' : 'freeze' });
  }

  /**
   * The still on screen (or, when live, a fresh full-resolution still from the customer) with the
   * marks in view, composited into one PNG and kept with the session.
   */
  async takeSnapshot(): Promise<void> {
    if (this.tools.get().snapshot === SnapshotPhase.working) return;
    this.tools.update({ snapshot: SnapshotPhase.working });
    try {
      const marks = this.model.visibleMarks();
      const freeze = this.model.freeze;
      const still = freeze?.status === FreezeStatus.ready && freeze.still ? freeze.still : await this.requestStill();
      const stored = await (this.deps.makeSnapshot ?? ((s, m) => this.composeAndUpload(s, m)))(still, marks);
      this.deps.socket.send({ type: 'snapshot-taken', uploadId: stored.id });
      this.tools.update({ snapshot: SnapshotPhase.idle });
    } catch (err) {
      console.warn('[annotations] snapshot failed', err);
      this.tools.update({ snapshot: SnapshotPhase.failed });
    }
  }

  /** The remote video marks are drawn over: anchored marks are tracked on its frames. */
  setVideo(video: HTMLVideoElement | null): void {
    this.anchors?.setVideo(video);
  }

  /** "Pin again": a lost mark follows what is under it now. */
  pin(markId: string): void {
    this.anchors?.pin(markId);
  }

  dispose(): void {
    this.anchors?.dispose();
    for (const off of this.offs.splice(0)) off();
    for (const w of this.waiting.values()) w.reject(new Error('closed'));
    this.waiting.clear();
  }

  private requestStill(): Promise<StoredImage> {
    const requestId = this.deps.newId?.() ?? crypto.randomUUID();
    return new Promise<StoredImage>((resolve, reject) => {
      const timer = setTimeout(() => done(() => reject(new Error('the customer did not send a still'))), STILL_TIMEOUT_MS);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        settle();
      };
      this.waiting.set(requestId, {
        resolve: (s) => done(() => resolve(s)),
        reject: (e) => done(() => reject(e)),
      });
      if (!this.deps.socket.send({ type: 'still-request', requestId })) {
        done(() => reject(new Error('not connected')));
      }
    });
  }

  private async composeAndUpload(still: StoredImage, marks: Mark[]): Promise<StoredImage> {
    const image = await loadImage(still.url);
    const blob = await composeSnapshot(image, { width: still.width, height: still.height }, marks);
    return uploadImage({
      relayUrl: this.deps.relayUrl,
      sessionId: this.deps.sessionId,
      participantToken: this.deps.specialistToken,
      purpose: UploadPurpose.snapshot,
      blob,
    });
  }
}
