import { SessionStatus, type CallNoteView, type SessionView } from '@live-assist/protocol';
import type { SidebarApi } from '../api/relayApi';
import { Store } from '../store/store';
import type { Timers } from './sidebarStore';

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type CallNoteState = { sessionId: string | null; view: CallNoteView | null };

/** Polls after the session ended, while the note may still appear (it is queued just after the end). */
const MAX_EMPTY_POLLS_AFTER_END = 8;

/**
 * Follows the write-back side of the sidebar's session: when the call started (for the duration)
 * and whether its note reached the ticket ("saved to ticket" or the retry state).
 */
export class CallNoteStore {
  readonly state = new Store<CallNoteState>({ sessionId: null, view: null });
  private handle: unknown = null;
  private session: SessionView | null = null;
  private emptyPolls = 0;
  private disposed = false;
  private readonly pollMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly api: Pick<SidebarApi, 'callNote'>,
    options: { pollMs?: number; timers?: Timers } = {},
  ) {
    this.pollMs = options.pollMs ?? 2000;
    this.timers = options.timers ?? realTimers;
  }

  /** The sidebar's session changed (new, polled, ended); cheap to call on every poll. */
  follow(session: SessionView | null): void {
    const previous = this.session;
    this.session = session;
    if (session?.sessionId !== previous?.sessionId) {
      this.cancel();
      this.emptyPolls = 0;
      this.state.set({ sessionId: session?.sessionId ?? null, view: null });
      if (session) void this.poll();
      return;
    }
    // The session just ended: look for the note at once rather than at the next tick.
    if (session && previous?.status === SessionStatus.active && session.status === SessionStatus.ended) {
      this.cancel();
      void this.poll();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private async poll(): Promise<void> {
    const session = this.session;
    if (!session || this.disposed) return;
    try {
      const view = await this.api.callNote(session.sessionId);
      if (this.disposed || this.session?.sessionId !== session.sessionId) return;
      this.state.set({ sessionId: session.sessionId, view });
    } catch {
      // Keep the last known state; the next tick tries again.
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const session = this.session;
    if (!session || this.disposed) return;
    if (session.status === SessionStatus.ended) {
      const state = this.state.get().view?.note.state ?? 'none';
      if (state === 'done' || state === 'failed') return;
      if (state === 'none' && ++this.emptyPolls > MAX_EMPTY_POLLS_AFTER_END) return;
    }
    this.cancel();
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      void this.poll();
    }, this.pollMs);
  }
}
