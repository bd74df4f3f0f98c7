import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallNoteView, SessionView, TicketNoteState } from '@live-assist/protocol';
import { CallNoteStore } from './callNoteStore';

function session(patch: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 'sess_0000000001',
    ticketId: 1201,
    status: 'active',
    inviteUrl: 'http://localhost/join/abc',
    expiresAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2029-12-31T00:00:00.000Z',
    endedAt: null,
    customerStage: 'in-call',
    customerConnected: true,
    specialistToken: 'spec-token',
    seat: { holder: 'Ada Agent', yours: true },
    ...patch,
  };
}

function note(state: TicketNoteState, patch: Partial<CallNoteView['note']> = {}): CallNoteView {
  return {
    callStartedAt: '2029-12-31T10:00:00.000Z',
    note: { state, attempts: 0, nextAttemptAt: null, lastError: null, doneAt: null, ...patch },
  };
}

describe('CallNoteStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the call start while active, then follows the note to "done" after the end and stops', async () => {
    const answers = [note('none'), note('none'), note('pending'), note('retrying', { attempts: 1, lastError: '503' }), note('done')];
    const callNote = vi.fn(async () => answers.shift() ?? note('done'));
    const store = new CallNoteStore({ callNote });
    store.follow(session());
    await vi.advanceTimersByTimeAsync(0);
    expect(store.state.get().view?.callStartedAt).toBe('2029-12-31T10:00:00.000Z');

    const ended = session({ status: 'ended', endedAt: '2029-12-31T10:05:00.000Z' });
    store.follow(ended);
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(i === 0 ? 0 : 2000);
      seen.push(store.state.get().view!.note.state);
    }
    expect(seen).toEqual(['none', 'pending', 'retrying', 'done']);
    const calls = callNote.mock.calls.length;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(callNote).toHaveBeenCalledTimes(calls);
    store.dispose();
  });

  it('gives up looking when an ended session never gets a note (no call took place)', async () => {
    const callNote = vi.fn(async () => note('none'));
    const store = new CallNoteStore({ callNote });
    store.follow(session({ status: 'ended' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(callNote.mock.calls.length).toBeLessThanOrEqual(10);
    const calls = callNote.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(callNote).toHaveBeenCalledTimes(calls);
    store.dispose();
  });

  it('forgets the old session when another one is followed, and stops when disposed', async () => {
    const callNote = vi.fn(async (id: string) => (id === 'sess_0000000001' ? note('done') : note('none', {})));
    const store = new CallNoteStore({ callNote });
    store.follow(session({ status: 'ended' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.state.get().view?.note.state).toBe('done');
    store.follow(session({ sessionId: 'sess_0000000002' }));
    expect(store.state.get()).toEqual({ sessionId: 'sess_0000000002', view: null });
    store.dispose();
    const calls = callNote.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(callNote).toHaveBeenCalledTimes(calls);
  });
});
