import { describe, expect, it } from 'vitest';
import { callStateForPeer, iceActionFor, pairAfterReconnect, waitingState, type PeerStateInput } from './p2p-state.js';

const base: PeerStateInput = { connection: 'connected', everConnected: false, restartsIce: false };

describe('callStateForPeer', () => {
  it('is connected while the pair is', () => {
    expect(callStateForPeer(base)).toBe('connected');
    expect(callStateForPeer({ ...base, everConnected: true })).toBe('connected');
  });

  it('reads a pair still negotiating as connecting the first time, reconnecting after the call was up', () => {
    for (const connection of ['new', 'connecting'] as const) {
      expect(callStateForPeer({ ...base, connection })).toBe('connecting');
      expect(callStateForPeer({ ...base, connection, everConnected: true })).toBe('reconnecting');
    }
    expect(waitingState(false)).toBe('connecting');
    expect(waitingState(true)).toBe('reconnecting');
  });

  it('reports a dropped pair as reconnecting on both sides', () => {
    expect(callStateForPeer({ ...base, connection: 'disconnected', everConnected: true })).toBe('reconnecting');
    expect(callStateForPeer({ ...base, connection: 'disconnected', restartsIce: true })).toBe('reconnecting');
  });

  it('fails for good only on the side that does not restart ICE', () => {
    expect(callStateForPeer({ ...base, connection: 'failed' })).toBe('failed');
    expect(callStateForPeer({ ...base, connection: 'failed', restartsIce: true })).toBe('reconnecting');
  });

  it('leaves the state alone when the pair is closed', () => {
    expect(callStateForPeer({ ...base, connection: 'closed', everConnected: true })).toBeNull();
  });
});

describe('iceActionFor', () => {
  it('restarts a failed ICE connection at once and a disconnected one only if it stays so', () => {
    expect(iceActionFor('failed')).toBe('restart');
    expect(iceActionFor('disconnected')).toBe('restart-later');
  });

  it('calls off a waiting restart once ICE is checking or connected again', () => {
    for (const state of ['new', 'checking', 'connected', 'completed', 'closed'] as const) {
      expect(iceActionFor(state)).toBe('cancel-restart');
    }
  });
});

describe('pairAfterReconnect', () => {
  it('keeps a settled, connected pair: the media never went through the relay', () => {
    expect(pairAfterReconnect({ connection: 'connected', signaling: 'stable' })).toBe('keep');
  });

  it('restarts ICE on a pair that lost its path meanwhile', () => {
    expect(pairAfterReconnect({ connection: 'disconnected', signaling: 'stable' })).toBe('restart-ice');
  });

  it('renegotiates a failed pair, one that never connected, and any with an offer in flight', () => {
    for (const connection of ['failed', 'new', 'connecting', 'closed'] as const) {
      expect(pairAfterReconnect({ connection, signaling: 'stable' })).toBe('renegotiate');
    }
    for (const connection of ['connected', 'disconnected'] as const) {
      expect(pairAfterReconnect({ connection, signaling: 'have-local-offer' })).toBe('renegotiate');
    }
  });
});
