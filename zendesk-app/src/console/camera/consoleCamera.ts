import type { RelaySocketEvents } from '@live-assist/client-core';
import {
  CameraFacing,
  CameraRefusal,
  ErrorCode,
  type CameraAppliedFrame,
  type CameraCapabilities,
  type CameraChange,
  type CameraSettings,
  type CameraStateFrame,
  type ClientToRelay,
  type ZoomRange,
} from '@live-assist/protocol';
import { Store } from '../../store/store';
import { snapZoom, zoomStep } from './zoom';

/** The part of the relay socket camera control needs. */
export interface CameraSocket {
  send(frame: ClientToRelay): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}

export type ConsoleCameraDeps = {
  socket: CameraSocket;
  /** false on an observer's console: it sees what the phone reports and asks for nothing. */
  canControl: boolean;
};

/** Why a change did not happen: the phone's own answer, or there was no phone to ask. */
export const CameraProblem = { ...CameraRefusal, noPhone: 'no-phone', notSent: 'not-sent' } as const;
export type CameraProblem = (typeof CameraProblem)[keyof typeof CameraProblem];

/** The settings a specialist can ask for and sees straight away, before the phone has answered. */
type Wanted = { torch: boolean | null; zoom: number | null; facing: CameraFacing | null };
type WantedKind = keyof Wanted;
const NOTHING_WANTED: Wanted = { torch: null, zoom: null, facing: null };

export type CameraView = {
  /** null: the phone is away or its camera is off, and there are no controls. */
  capabilities: CameraCapabilities | null;
  settings: CameraSettings | null;
  /** The newest request until the phone answers it or reports again ("waiting for the phone…"). */
  pending: { requestId: number; change: CameraChange } | null;
  /**
   * What the specialist asked for, shown instead of the phone's report until the report after the
   * phone's answer arrives, so the slider and the light do not jump back while the phone works.
   */
  wanted: Wanted;
  /** Shown for a few seconds after a refusal. */
  problem: CameraProblem | null;
  /** The next click on the picture asks the phone to focus there instead of drawing. */
  focusArmed: boolean;
};

/** What the controls show: the specialist's wish while it is on its way, the phone's report otherwise. */
export function shownSettings(view: CameraView): { torch: boolean; zoom: number | null; facing: CameraFacing | null } {
  const range = view.capabilities?.zoom ?? null;
  return {
    torch: view.wanted.torch ?? view.settings?.torch ?? false,
    zoom: range ? (view.wanted.zoom ?? view.settings?.zoom ?? range.min) : null,
    facing: view.wanted.facing ?? view.settings?.facing ?? null,
  };
}

/** A dragged slider sends at most this often (8 a second); the level it stops at always goes. */
export const ZOOM_INTERVAL_MS = 125;
/** How long a refusal stays on screen. */
export const PROBLEM_SHOWN_MS = 5_000;
/** A phone that never answers (it reloaded mid-request) does not leave the console waiting. */
export const ANSWER_TIMEOUT_MS = 10_000;

const EMPTY: CameraView = {
  capabilities: null,
  settings: null,
  pending: null,
  wanted: NOTHING_WANTED,
  problem: null,
  focusArmed: false,
};

/**
 * The specialist's side of camera control (protocol features/camera.ts): keeps what the phone
 * reports and turns the controls into `camera-request` frames. The phone stays the authority; what
 * it reports after answering is what the console shows. Plain TS; React components only adapt it.
 */
export class ConsoleCamera {
  readonly state = new Store<CameraView>(EMPTY);
  private readonly offs: Array<() => void> = [];
  private nextRequestId = 1;
  /** The highest request the phone has answered; a report after it reflects it. */
  private answered = 0;
  /** Which request each wish went out with (Infinity: not sent yet, the zoom throttle holds it). */
  private wantedIds: Partial<Record<WantedKind, number>> = {};
  private zoomQueued: number | null = null;
  private zoomTimer: ReturnType<typeof setTimeout> | null = null;
  private lastZoomSentAt = Number.NEGATIVE_INFINITY;
  private problemTimer: ReturnType<typeof setTimeout> | null = null;
  private answerTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: ConsoleCameraDeps) {
    this.offs.push(
      deps.socket.on('frame', (frame) => {
        if (frame.type === 'camera-state') this.onState(frame);
        else if (frame.type === 'camera-applied') this.onApplied(frame);
        else if (frame.type === 'error' && frame.code === ErrorCode.noPeer) this.onNoPhone();
      }),
    );
    // Made after the socket joined: the state sent on join may already have gone by.
    deps.socket.send({ type: 'camera-sync' });
  }

  get canControl(): boolean {
    return this.deps.canControl;
  }

  setTorch(on: boolean): void {
    if (!this.capable((c) => c.torch)) return;
    this.want('torch', on, this.request({ kind: 'torch', on }));
  }

  /** Clamped and rounded to what the phone takes; a dragged slider is throttled (ZOOM_INTERVAL_MS). */
  setZoom(level: number): void {
    const range = this.zoomRange();
    if (!range) return;
    const next = snapZoom(level, range);
    if (next === shownSettings(this.state.get()).zoom) return;
    this.want('zoom', next, Number.POSITIVE_INFINITY);
    this.zoomQueued = next;
    if (this.zoomTimer) return;
    const wait = this.lastZoomSentAt + ZOOM_INTERVAL_MS - Date.now();
    if (wait <= 0) this.sendZoom();
    else this.zoomTimer = setTimeout(() => this.sendZoom(), wait);
  }

  /** One press of − or +. */
  zoomBy(direction: 1 | -1): void {
    const range = this.zoomRange();
    const current = shownSettings(this.state.get()).zoom;
    if (range && current !== null) this.setZoom(zoomStep(current, direction, range));
  }

  /** The phone's other camera; the rear one when the phone does not say which it uses. */
  switchCamera(): void {
    if (!this.capable((c) => c.switchCamera)) return;
    const facing = shownSettings(this.state.get()).facing === CameraFacing.environment ? CameraFacing.user : CameraFacing.environment;
    this.want('facing', facing, this.request({ kind: 'facing', facing }));
  }

  armFocus(): void {
    if (this.capable((c) => c.focus)) this.state.update({ focusArmed: true });
  }

  disarmFocus(): void {
    if (this.state.get().focusArmed) this.state.update({ focusArmed: false });
  }

  /** `x`, `y`: 0..1 from the top left of the phone's frame. One click, then drawing is back. */
  focusAt(x: number, y: number): void {
    this.disarmFocus();
    if (!this.capable((c) => c.focus)) return;
    const unit = (n: number) => Math.min(1, Math.max(0, n));
    this.request({ kind: 'focus', x: unit(x), y: unit(y) });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.clearTimers();
  }

  private onState(frame: CameraStateFrame): void {
    if (!frame.capabilities) {
      // Phone away or camera off: nothing to drive, nothing to wait for.
      this.clearTimers();
      this.zoomQueued = null;
      this.wantedIds = {};
      this.state.set({ ...EMPTY, settings: frame.settings });
      return;
    }
    // A report after the phone's answer is the truth; wishes it has not answered yet stay on screen.
    const wanted = { ...this.state.get().wanted };
    for (const kind of Object.keys(this.wantedIds) as WantedKind[]) {
      if ((this.wantedIds[kind] ?? 0) <= this.answered) this.forget(wanted, kind);
    }
    const focusArmed = this.state.get().focusArmed && frame.capabilities.focus;
    this.state.update({ capabilities: frame.capabilities, settings: frame.settings, pending: null, wanted, focusArmed });
    this.settleAnswerTimer();
  }

  private onApplied(frame: CameraAppliedFrame): void {
    if (frame.requestId >= this.nextRequestId) return; // not one of this console's
    this.answered = Math.max(this.answered, frame.requestId);
    const { pending } = this.state.get();
    if (pending && frame.requestId >= pending.requestId) this.state.update({ pending: null });
    if (!frame.ok) {
      // The slider or the light go back to what the phone does.
      const wanted = { ...this.state.get().wanted };
      for (const kind of Object.keys(this.wantedIds) as WantedKind[]) {
        if (this.wantedIds[kind] === frame.requestId) this.forget(wanted, kind);
      }
      this.state.update({ wanted });
      this.showProblem(frame.refusal ?? CameraProblem.failed);
    }
    this.settleAnswerTimer();
  }

  /** The relay says the phone is not there: whatever was asked will not be answered. */
  private onNoPhone(): void {
    // Other features' frames meet the same answer; it is ours only while a request is out.
    if (!this.waiting()) return;
    this.giveUp();
    this.showProblem(CameraProblem.noPhone);
  }

  private sendZoom(): void {
    this.zoomTimer = null;
    const level = this.zoomQueued;
    this.zoomQueued = null;
    if (level === null) return;
    this.lastZoomSentAt = Date.now();
    const requestId = this.request({ kind: 'zoom', level });
    if (requestId !== 0 && this.state.get().wanted.zoom === level) this.wantedIds.zoom = requestId;
  }

  /** Sends one change; returns its request id (0: not sent). */
  private request(change: CameraChange): number {
    const requestId = this.nextRequestId++;
    if (!this.deps.socket.send({ type: 'camera-request', requestId, change })) {
      // The console's own connection is down (the header says so); nothing went out.
      this.giveUp();
      this.showProblem(CameraProblem.notSent);
      return 0;
    }
    // Asking again clears the last refusal.
    this.state.update({ pending: { requestId, change }, problem: null });
    if (this.problemTimer) clearTimeout(this.problemTimer);
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.problemTimer = null;
    this.answerTimer = setTimeout(() => this.giveUp(), ANSWER_TIMEOUT_MS);
    return requestId;
  }

  private want<K extends WantedKind>(kind: K, value: Wanted[K], requestId: number): void {
    if (requestId === 0) return;
    this.wantedIds[kind] = requestId;
    this.state.update({ wanted: { ...this.state.get().wanted, [kind]: value } });
  }

  private forget(wanted: Wanted, kind: WantedKind): void {
    wanted[kind] = null;
    delete this.wantedIds[kind];
  }

  /** Stops waiting: the controls show what the phone last reported. */
  private giveUp(): void {
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.zoomTimer = null;
    this.answerTimer = null;
    this.zoomQueued = null;
    this.wantedIds = {};
    this.state.update({ pending: null, wanted: NOTHING_WANTED });
  }

  private waiting(): boolean {
    return this.state.get().pending !== null || Object.keys(this.wantedIds).length > 0;
  }

  /** Nothing left to wait for: the safety timeout can go. */
  private settleAnswerTimer(): void {
    if (!this.waiting() && this.answerTimer) {
      clearTimeout(this.answerTimer);
      this.answerTimer = null;
    }
  }

  private showProblem(problem: CameraProblem): void {
    if (this.problemTimer) clearTimeout(this.problemTimer);
    this.state.update({ problem });
    this.problemTimer = setTimeout(() => {
      this.problemTimer = null;
      this.state.update({ problem: null });
    }, PROBLEM_SHOWN_MS);
  }

  private capable(has: (c: CameraCapabilities) => boolean): boolean {
    const { capabilities } = this.state.get();
    return this.deps.canControl && capabilities !== null && has(capabilities);
  }

  private zoomRange(): ZoomRange | null {
    const { capabilities } = this.state.get();
    return this.deps.canControl && capabilities?.zoom ? capabilities.zoom : null;
  }

  private clearTimers(): void {
    for (const timer of [this.zoomTimer, this.problemTimer, this.answerTimer]) if (timer) clearTimeout(timer);
    this.zoomTimer = this.problemTimer = this.answerTimer = null;
  }
}
