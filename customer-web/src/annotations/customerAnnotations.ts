import {
  AnnotationDrawer,
  PointerRoute,
  receivePeerAnchors,
  receivePeerPointers,
  sendWindow,
  AnnotationModel,
  Emitter,
  captureStill,
  uploadImage,
  type CapturedStill,
  type PeerDatagrams,
  type RelaySocket,
} from '@live-assist/client-core';
import { FreezeStatus, Role, UploadPurpose, type FreezeState, type Point, type RelayToClient } from '@live-assist/protocol';

/** What the customer's page shows while frozen: its own capture at once, the stored one after a reload. */
export type FrozenStill = { url: string; width: number; height: number };

export interface CustomerAnnotationsDeps {
  socket: Pick<RelaySocket, 'send' | 'on' | 'welcome'>;
  participantToken: string;
  /** Straight to the specialist's page while the P2P pair is up: the pointer's fast way both ways. */
  lane: PeerDatagrams;
  relayUrl: string;
  /** The local camera preview (source of canvas captures). */
  video(): HTMLVideoElement | null;
  capture?: typeof captureStill;
  upload?: typeof uploadImage;
}

/** How long a tapped pointer stays. */
export const TAP_POINTER_MS = 3000;
const PROGRESS_EVERY_MS = 150;

type Events = { change: void };

/**
 * The customer's side of annotations: mirrors the session's marks, answers the specialist's freeze
 * and still requests with a full-resolution capture of its own camera, and lets the customer point.
 */
export class CustomerAnnotations {
  readonly model = new AnnotationModel();
  private readonly events = new Emitter<Events>();
  private readonly drawer: AnnotationDrawer;
  private readonly offs: Array<() => void> = [];
  private still: FrozenStill | null = null;
  private localStillFor: string | null = null;
  private readonly handled = new Set<string>();
  private tapTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly deps: CustomerAnnotationsDeps) {
    // The customer cannot know whether observers watch the console: a tap's position goes their way too.
    const route = new PointerRoute({ relay: (frame) => void deps.socket.send(frame), lane: deps.lane, mirrored: () => true });
    this.drawer = new AnnotationDrawer({
      model: this.model,
      role: Role.customer,
      send: (frame) => route.send(frame),
      schedule: sendWindow,
    });
    this.offs.push(
      deps.socket.on('frame', (frame) => this.onFrame(frame)),
      receivePeerPointers(deps.lane, this.model, Role.specialist),
      // Anchored marks move with the object: the console's tracker updates come fastest this way.
      receivePeerAnchors(deps.lane, this.model),
    );
    // The state sent on join went out before this layer existed (a reload passes the consent steps
    // first); without asking again a reloaded page would show none of the session's marks.
    deps.socket.send({ type: 'annotation-sync' });
  }

  on = this.events.on.bind(this.events);

  get frozenStill(): FrozenStill | null {
    return this.still;
  }

  /** Customer tapped the picture: show a pointer there for a moment. */
  tap(point: Point): void {
    this.drawer.pointer(point);
    if (this.tapTimer) clearTimeout(this.tapTimer);
    this.tapTimer = setTimeout(() => this.drawer.pointer(null), TAP_POINTER_MS);
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.offs.splice(0)) off();
    if (this.tapTimer) clearTimeout(this.tapTimer);
    this.setStill(null, null);
  }

  private onFrame(frame: RelayToClient): void {
    this.model.apply(frame);
    if (frame.type === 'annotation-state') this.followFreeze(frame.state.freeze);
    else if (frame.type === 'freeze-state') this.followFreeze(frame.freeze);
    else if (frame.type === 'still-request') void this.answerStill(frame.requestId, false);
  }

  private followFreeze(freeze: FreezeState | null): void {
    if (!freeze) {
      this.setStill(null, null);
      return;
    }
    if (this.localStillFor === freeze.id) return;
    if (freeze.status === FreezeStatus.capturing && !this.handled.has(freeze.id)) {
      void this.answerStill(freeze.id, true);
    } else if (freeze.still) {
      this.setStill({ url: freeze.still.url, width: freeze.still.width, height: freeze.still.height }, null);
    }
  }

  /** Captures, shows (when freezing) and uploads a still, reporting progress to the relay. */
  private async answerStill(requestId: string, freezing: boolean): Promise<void> {
    this.handled.add(requestId);
    const { socket } = this.deps;
    const video = this.deps.video();
    const track = (video?.srcObject instanceof MediaStream ? video.srcObject : null)?.getVideoTracks()[0];
    let captured: CapturedStill;
    try {
      if (!video || !track) throw new Error('the camera is off');
      captured = await (this.deps.capture ?? captureStill)(track, video);
    } catch (err) {
      socket.send({ type: 'still-failed', requestId, reason: reasonOf(err) });
      return;
    }
    if (this.disposed) return;
    if (freezing) {
      const url = URL.createObjectURL(captured.blob);
      this.setStill({ url, width: captured.width, height: captured.height }, requestId);
    }
    const sessionId = socket.welcome?.sessionId;
    let lastProgress = 0;
    try {
      if (!sessionId) throw new Error('not connected');
      const stored = await (this.deps.upload ?? uploadImage)({
        relayUrl: this.deps.relayUrl,
        sessionId,
        participantToken: this.deps.participantToken,
        purpose: UploadPurpose.still,
        blob: captured.blob,
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
          socket.send({ type: 'still-progress', requestId, progress: Math.min(0.99, progress) });
        },
      });
      socket.send({ type: 'still-ready', requestId, uploadId: stored.id });
    } catch (err) {
      socket.send({ type: 'still-failed', requestId, reason: reasonOf(err) });
    }
  }

  private setStill(still: FrozenStill | null, localFor: string | null): void {
    if (this.still?.url.startsWith('blob:') && this.still.url !== still?.url) URL.revokeObjectURL(this.still.url);
    this.still = still;
    this.localStillFor = localFor;
    this.events.emit('change', undefined);
  }
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : 'capture failed').slice(0, 200);
}
