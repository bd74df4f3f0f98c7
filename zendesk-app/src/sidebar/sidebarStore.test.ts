import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '@live-assist/protocol';
import { RelayApiError, type AgentApi } from '../api/relayApi';
import { customerStatusOf } from './customerStatus';
import { SidebarStore } from './sidebarStore';

function view(patch: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 'sess_0000000001',
    ticketId: 1201,
    status: 'active',
    inviteUrl: 'http://localhost/join/abc',
    expiresAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2029-12-31T00:00:00.000Z',
    endedAt: null,
    customerStage: 'waiting',
    customerConnected: false,
    specialistToken: 'spec-token',
    seat: { holder: 'Ada Agent', yours: true },
    ...patch,
  };
}

function fakeApi(overrides: Partial<AgentApi> = {}): AgentApi {
  return {
    ticketSession: vi.fn(async () => null),
    createSession: vi.fn(async () => view()),
    getSession: vi.fn(async () => view()),
    endSession: vi.fn(async () => view({ status: 'ended', endedAt: '2030-01-01T00:00:00.000Z' })),
    takeOver: vi.fn(async () => view({ seat: { holder: 'Thomas Berg', yours: true } })),
    observe: vi.fn(async () => ({ sessionId: 'sess_0000000001', ticketId: 1201, observerToken: 'watch-token', holder: 'Ada Agent' })),
    ...overrides,
  };
}

describe('SidebarStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('offers to start when the ticket has no session, and shows the invite after starting', async () => {
    const api = fakeApi();
    const store = new SidebarStore(api, 1201);
    await store.load();
    expect(store.state.get()).toMatchObject({ phase: 'ready', session: null, problem: null });

    await store.startVideo();
    expect(api.createSession).toHaveBeenCalledWith(1201);
    expect(store.state.get().session?.inviteUrl).toBe('http://localhost/join/abc');
    store.dispose();
  });

  it('follows the customer through the journey by polling every 2 s while active', async () => {
    const stages: SessionView[] = [
      view({ customerStage: 'opened-link' }),
      view({ customerStage: 'consented' }),
      view({ customerStage: 'in-call', customerConnected: true }),
    ];
    const api = fakeApi({
      ticketSession: vi.fn(async () => view()),
      getSession: vi.fn(async () => stages.shift() ?? view({ status: 'ended' })),
    });
    const store = new SidebarStore(api, 1201);
    await store.load();
    const seen = [customerStatusOf(store.state.get().session!)];
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(2000);
      seen.push(customerStatusOf(store.state.get().session!));
    }
    expect(seen).toEqual(['waiting', 'opened-link', 'consented', 'in-call', 'ended']);

    // Once ended, polling stops.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.getSession).toHaveBeenCalledTimes(4);
    store.dispose();
  });

  it('stops polling when disposed', async () => {
    const api = fakeApi({ ticketSession: vi.fn(async () => view()) });
    const store = new SidebarStore(api, 1201);
    await store.load();
    store.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.getSession).not.toHaveBeenCalled();
  });

  it('ending the session shows it ended and stops polling', async () => {
    const api = fakeApi({ ticketSession: vi.fn(async () => view()) });
    const store = new SidebarStore(api, 1201);
    await store.load();
    await store.endSession();
    expect(api.endSession).toHaveBeenCalledWith('sess_0000000001');
    expect(customerStatusOf(store.state.get().session!)).toBe('ended');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.getSession).not.toHaveBeenCalled();
  });

  it('keeps the last status and says so when polling fails, then recovers', async () => {
    let fail = true;
    const api = fakeApi({
      ticketSession: vi.fn(async () => view()),
      getSession: vi.fn(async () => {
        if (fail) throw new RelayApiError(0, 'network', 'offline');
        return view({ customerStage: 'opened-link' });
      }),
    });
    const store = new SidebarStore(api, 1201);
    await store.load();
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.state.get()).toMatchObject({ problem: 'offline', session: { customerStage: 'waiting' } });
    fail = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.state.get()).toMatchObject({ problem: null, session: { customerStage: 'opened-link' } });
    store.dispose();
  });

  it('reports an expired sign-in and stops polling', async () => {
    const api = fakeApi({
      ticketSession: vi.fn(async () => view()),
      getSession: vi.fn(async () => {
        throw new RelayApiError(401, 'unauthorized', 'expired');
      }),
    });
    const store = new SidebarStore(api, 1201);
    await store.load();
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.state.get().problem).toBe('signed-out');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.getSession).toHaveBeenCalledTimes(1);
  });

  it('a failed start leaves the ticket without a session and explains why', async () => {
    const api = fakeApi({
      createSession: vi.fn(async () => {
        throw new RelayApiError(404, 'not-found', 'no ticket');
      }),
    });
    const store = new SidebarStore(api, 1201);
    await store.load();
    await store.startVideo();
    expect(store.state.get()).toMatchObject({ session: null, busy: null, problem: 'ticket-not-found' });
  });

  it("a ticket outside the agent's helpdesk access (403) says so, on load and on start", async () => {
    const forbidden = async () => {
      throw new RelayApiError(403, 'ticket-forbidden', 'no access');
    };
    const onLoad = new SidebarStore(fakeApi({ ticketSession: vi.fn(forbidden) }), 1201);
    await onLoad.load();
    expect(onLoad.state.get()).toMatchObject({ phase: 'failed', problem: 'ticket-forbidden' });
    const onStart = new SidebarStore(fakeApi({ createSession: vi.fn(forbidden) }), 1201);
    await onStart.load();
    await onStart.startVideo();
    expect(onStart.state.get()).toMatchObject({ session: null, busy: null, problem: 'ticket-forbidden' });
  });

  it('a load failure can be retried', async () => {
    const ticketSession = vi
      .fn<AgentApi['ticketSession']>()
      .mockRejectedValueOnce(new RelayApiError(502, 'http', 'down'))
      .mockResolvedValueOnce(view());
    const store = new SidebarStore(fakeApi({ ticketSession }), 1201);
    await store.load();
    expect(store.state.get()).toMatchObject({ phase: 'failed', problem: 'load' });
    await store.load();
    expect(store.state.get()).toMatchObject({ phase: 'ready', problem: null, session: { status: 'active' } });
    store.dispose();
  });

  it('a poll answer that arrives after the session was ended does not bring it back', async () => {
    let answer: (v: SessionView) => void = () => {};
    const api = fakeApi({
      ticketSession: vi.fn(async () => view()),
      getSession: vi.fn(() => new Promise<SessionView>((resolve) => (answer = resolve))),
    });
    const store = new SidebarStore(api, 1201);
    await store.load();
    await vi.advanceTimersByTimeAsync(2000);
    await store.endSession();
    answer(view({ customerStage: 'in-call', customerConnected: true }));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.state.get().session?.status).toBe('ended');
  });
});

describe('SidebarStore: a call held by another agent', () => {
  it('takes the seat over only when asked, and then holds it', async () => {
    const held = view({ specialistToken: null, seat: { holder: 'Maria Petrova', yours: false } });
    const api = fakeApi({
      ticketSession: vi.fn(async () => held),
      takeOver: vi.fn(async () => view({ seat: { holder: 'Thomas Berg', yours: true } })),
    });
    const store = new SidebarStore(api, 1201, { timers: { setTimeout: () => 0, clearTimeout: () => {} } });
    await store.load();
    expect(store.state.get().session?.seat).toEqual({ holder: 'Maria Petrova', yours: false });
    expect(api.takeOver).not.toHaveBeenCalled();
    await store.takeOver();
    expect(api.takeOver).toHaveBeenCalledWith('sess_0000000001');
    expect(store.state.get().session?.seat).toEqual({ holder: 'Thomas Berg', yours: true });
  });
});
