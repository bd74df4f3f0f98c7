import {
  Emitter,
  applyToTrack,
  readCamera,
  snapZoom,
  type CameraContext,
  type CameraTrack,
  type RelaySocket,
} from '@live-assist/client-core';
import {
  CameraFacing,
  CameraRefusal,
  type CameraCapabilities,
  type CameraChange,
  type CameraSettings,
  type RelayToClient,
} from '@live-assist/protocol';

/**
 * A change the phone shows: who made it and the change that takes it back. The customer always
 * sees what the specialist did to their camera, and can undo it with one tap.
 */
export type CameraNotice = {
  /** New per notice, so the same change twice shows (and times out) twice. */
  id: number;
  change: CameraChange;
  /** null for a focus point: there is nothing to take back. */
  undo: CameraChange | null;
};

export type CustomerCameraState = {
  capabilities: CameraCapabilities | null;
  settings: CameraSettings | null;
  notice: CameraNotice | null;
};

export interface CustomerCameraDeps {
  socket: Pick<RelaySocket, 'send' | 'on'>;
  /** The live camera track (null while the camera is off). */
  track(): CameraTrack | null;
  switchCamera(facing: CameraFacing): Promise<void>;
  /**
   * Other camera to switch to, focus points at all (the device list): read when the page joins, on
   * every welcome and when the camera changes, not for every request.
   */
  context(): Promise<CameraContext>;
  /** How long a notice stays on the screen. */
  noticeMs?: number;
}

const NOTICE_MS = 6000;

/** The change that takes a change back, given the camera before it. */
function undoOf(change: CameraChange, before: CameraSettings | null): CameraChange | null {
  switch (change.kind) {
    case 'torch':
      return { kind: 'torch', on: !change.on };
    case 'zoom':
      return before?.zoom != null ? { kind: 'zoom', level: before.zoom } : null;
    case 'facing':
      return { kind: 'facing', facing: change.facing === CameraFacing.user ? CameraFacing.environment : CameraFacing.user };
    case 'focus':
      return null;
  }
}

/**
 * The phone's side of camera control: reports the camera to the console after every welcome and
 * every change, applies the specialist's requests to its own track (answering each one), tells
 * the customer what changed, and lets the customer change it back. Plain TS; React only renders it.
 */
export class CustomerCamera {
  private readonly events = new Emitter<{ change: void }>();
  private readonly offs: Array<() => void> = [];
  private current: CustomerCameraState = { capabilities: null, settings: null, notice: null };
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private nextNotice = 1;
  /** One change at a time: a second request waits for the camera the first one leaves. */
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  private context: Promise<CameraContext>;

  constructor(private readonly deps: CustomerCameraDeps) {
    this.offs.push(
      deps.socket.on('welcome', () => {
        this.context = deps.context();
        void this.report();
      }),
      deps.socket.on('frame', (frame) => this.onFrame(frame)),
    );
    this.context = deps.context();
    void this.report();
  }

  on = this.events.on.bind(this.events);

  get state(): CustomerCameraState {
    return this.current;
  }

  /** The camera track was replaced, turned off or on: the console learns what it can do now. */
  trackChanged(): void {
    this.context = this.deps.context();
    void this.enqueue(() => this.report());
  }

  /** The customer's own light switch. */
  toggleTorch(): Promise<void> {
    const on = !(this.current.settings?.torch ?? false);
    return this.enqueue(async () => {
      await this.apply({ kind: 'torch', on });
      await this.report();
    });
  }

  /** The customer takes the specialist's change back. */
  undo(notice: CameraNotice): Promise<void> {
    this.dismiss();
    const { undo } = notice;
    if (!undo) return Promise.resolve();
    return this.enqueue(async () => {
      await this.apply(undo);
      await this.report();
    });
  }

  dismiss(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    if (this.current.notice) this.set({ notice: null });
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.offs.splice(0)) off();
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
  }

  private onFrame(frame: RelayToClient): void {
    if (frame.type !== 'camera-request') return;
    const { requestId, change } = frame;
    void this.enqueue(async () => {
      const before = this.current.settings;
      const refusal = await this.apply(change);
      if (this.disposed) return;
      this.deps.socket.send(
        refusal ? { type: 'camera-applied', requestId, ok: false, refusal } : { type: 'camera-applied', requestId, ok: true },
      );
      if (!refusal) this.announce(change, undoOf(change, before));
      await this.report();
    });
  }

  private async apply(change: CameraChange): Promise<CameraRefusal | null> {
    if (change.kind !== 'facing') return applyToTrack(this.deps.track(), change, await this.context);
    if (!this.deps.track()) return CameraRefusal.cameraOff;
    if (!this.current.capabilities?.switchCamera) return CameraRefusal.unsupported;
    try {
      await this.deps.switchCamera(change.facing);
      return null;
    } catch {
      return CameraRefusal.failed;
    }
  }

  private async report(): Promise<void> {
    const { capabilities, settings } = readCamera(this.deps.track(), await this.context);
    if (this.disposed) return;
    const zoomRange = capabilities?.zoom;
    // The phone reports what the camera does, snapped as the console would draw it.
    const reported = settings && zoomRange && settings.zoom != null ? { ...settings, zoom: snapZoom(settings.zoom, zoomRange) } : settings;
    this.set({ capabilities, settings: reported });
    this.deps.socket.send({ type: 'camera-state', capabilities, settings: reported });
  }

  private announce(change: CameraChange, undo: CameraChange | null): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.set({ notice: { id: this.nextNotice++, change, undo } });
    this.noticeTimer = setTimeout(() => this.dismiss(), this.deps.noticeMs ?? NOTICE_MS);
  }

  private enqueue(step: () => Promise<unknown>): Promise<void> {
    const run = this.queue.then(step).then(
      () => undefined,
      (err: unknown) => console.warn('[camera] change failed', err),
    );
    this.queue = run;
    return run;
  }

  private set(patch: Partial<CustomerCameraState>): void {
    this.current = { ...this.current, ...patch };
    this.events.emit('change', undefined);
  }
}
