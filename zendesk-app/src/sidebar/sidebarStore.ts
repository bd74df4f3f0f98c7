import { SessionStatus, type SessionView } from '@live-assist/protocol';
import { RelayApiError, type AgentApi } from '../api/relayApi';
import { Store } from '../store/store';

export const SidebarPhase = { loading: 'loading', ready: 'ready', failed: 'failed' } as const;
export type SidebarPhase = (typeof SidebarPhase)[keyof typeof SidebarPhase];

export const SidebarAction = { start: 'start', end: 'end', takeOver: 'take-over' } as const;
export type SidebarAction = (typeof SidebarAction)[keyof typeof SidebarAction];

/** Why something failed, in words the UI can translate. */
export const SidebarProblem = {
  load: 'load',
  start: 'start',
  end: 'end',
  takeOver: 'take-over',
  /** Status updates stopped arriving; the last known status may be stale. */
  offline: 'offline',
  /** The relay sign-in expired; only reloading the app helps. */
  signedOut: 'signed-out',
  ticketNotFound: 'ticket-not-found',
  /** The agent's helpdesk role does not cover this ticket (e.g. restricted to other groups). */
  ticketForbidden: 'ticket-forbidden',
} as const;
export type SidebarProblem = (typeof SidebarProblem)[keyof typeof SidebarProblem];

export type SidebarState = {
  phase: SidebarPhase;
  /** The ticket's newest session (active or ended); null when it never had one. */
  session: SessionView | null;
  busy: SidebarAction | null;
  problem: SidebarProblem | null;
};

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const POLL_MS = 2000;

/**
 * The ticket sidebar's state: the ticket's session and the customer's progress. Only the console
 * holds the specialist socket, so the sidebar follows the session by polling the relay.
 */
export class SidebarStore {
  readonly state = new Store<SidebarState>({ phase: SidebarPhase.loading, session: null, busy: null, problem: null });
  private readonly pollMs: number;
  private readonly timers: Timers;
  private pollHandle: unknown = null;
  private disposed = false;
  /** Bumped whenever the session changes hands so a late poll answer cannot resurrect an old one. */
  private epoch = 0;

  constructor(
    private readonly api: AgentApi,
    readonly ticketId: number,
    options: { pollMs?: number; timers?: Timers } = {},
  ) {
    this.pollMs = options.pollMs ?? POLL_MS;
    this.timers = options.timers ?? realTimers;
  }

  async load(): Promise<void> {
    const epoch = ++this.epoch;
    this.state.update({ phase: SidebarPhase.loading, problem: null });
    try {
      const session = await this.api.ticketSession(this.ticketId);
      if (this.stale(epoch)) return;
      this.setSession(session);
      this.state.update({ phase: SidebarPhase.ready });
    } catch (err) {
      if (this.stale(epoch)) return;
      this.state.update({ phase: SidebarPhase.failed, problem: problemOf(err, SidebarProblem.load) });
    }
  }

  async startVideo(): Promise<void> {
    if (this.state.get().busy) return;
    const epoch = ++this.epoch;
    this.state.update({ busy: SidebarAction.start, problem: null });
    try {
      const session = await this.api.createSession(this.ticketId);
      if (this.stale(epoch)) return;
      this.setSession(session);
      this.state.update({ busy: null });
    } catch (err) {
      if (this.stale(epoch)) return;
      this.state.update({ busy: null, problem: problemOf(err, SidebarProblem.start) });
    }
  }

  async endSession(): Promise<void> {
    const { session, busy } = this.state.get();
    if (busy || !session || session.status !== SessionStatus.active) return;
    const epoch = ++this.epoch;
    this.state.update({ busy: SidebarAction.end, problem: null });
    try {
      const ended = await this.api.endSession(session.sessionId);
      if (this.stale(epoch)) return;
      this.setSession(ended);
      this.state.update({ busy: null });
    } catch (err) {
      if (this.stale(epoch)) return;
      this.state.update({ busy: null, problem: problemOf(err, SidebarProblem.end) });
      this.schedulePoll();
    }
  }

  /** Another agent holds the seat: take it over (an explicit, confirmed action in the UI). */
  async takeOver(): Promise<void> {
    const { session, busy } = this.state.get();
    if (busy || !session || session.status !== SessionStatus.active || session.seat.yours) return;
    const epoch = ++this.epoch;
    this.state.update({ busy: SidebarAction.takeOver, problem: null });
    try {
      const taken = await this.api.takeOver(session.sessionId);
      if (this.stale(epoch)) return;
      this.setSession(taken);
      this.state.update({ busy: null });
    } catch (err) {
      if (this.stale(epoch)) return;
      this.state.update({ busy: null, problem: problemOf(err, SidebarProblem.takeOver) });
      this.schedulePoll();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.epoch += 1;
    this.cancelPoll();
  }

  private setSession(session: SessionView | null): void {
    this.state.update({ session });
    if (session?.status === SessionStatus.active) this.schedulePoll();
    else this.cancelPoll();
  }

  private schedulePoll(): void {
    this.cancelPoll();
    if (this.disposed) return;
    this.pollHandle = this.timers.setTimeout(() => {
      this.pollHandle = null;
      void this.poll();
    }, this.pollMs);
  }

  private async poll(): Promise<void> {
    const { session } = this.state.get();
    if (!session || session.status !== SessionStatus.active) return;
    const epoch = this.epoch;
    try {
      const fresh = await this.api.getSession(session.sessionId);
      if (this.stale(epoch)) return;
      const { problem } = this.state.get();
      this.state.update({ problem: problem === SidebarProblem.offline ? null : problem });
      this.setSession(fresh);
    } catch (err) {
      if (this.stale(epoch)) return;
      const problem = problemOf(err, SidebarProblem.offline);
      this.state.update({ problem });
      // A signed-out agent cannot poll again; anything else is worth retrying.
      if (problem !== SidebarProblem.signedOut) this.schedulePoll();
    }
  }

  private cancelPoll(): void {
    if (this.pollHandle !== null) this.timers.clearTimeout(this.pollHandle);
    this.pollHandle = null;
  }

  private stale(epoch: number): boolean {
    return this.disposed || epoch !== this.epoch;
  }
}

function problemOf(err: unknown, fallback: SidebarProblem): SidebarProblem {
  if (err instanceof RelayApiError) {
    if (err.status === 401) return SidebarProblem.signedOut;
    if (err.status === 403) return SidebarProblem.ticketForbidden;
    if (err.status === 404 && fallback === SidebarProblem.start) return SidebarProblem.ticketNotFound;
  }
  return fallback;
}
