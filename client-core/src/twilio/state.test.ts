import { describe, expect, it } from 'vitest';
import { callStateFor, type CallStateInput } from './state.js';

const base: CallStateInput = { room: 'connected', peerPresent: true, peerReconnecting: false, everConnected: true, failed: false };

describe('callStateFor', () => {
  it('is connected only while both sides are in the room', () => {
    expect(callStateFor(base)).toBe('connected');
    expect(callStateFor({ ...base, peerPresent: false, everConnected: false })).toBe('connecting');
    expect(callStateFor({ ...base, peerPresent: false })).toBe('reconnecting');
  });

  it('reports reconnecting when either side’s connection is recovering', () => {
    expect(callStateFor({ ...base, room: 'reconnecting' })).toBe('reconnecting');
    expect(callStateFor({ ...base, peerReconnecting: true })).toBe('reconnecting');
  });

  it('starts as connecting', () => {
    expect(callStateFor({ ...base, room: 'connecting', peerPresent: false, everConnected: false })).toBe('connecting');
  });

  it('ends as disconnected, or failed after an error', () => {
    expect(callStateFor({ ...base, room: 'disconnected' })).toBe('disconnected');
    expect(callStateFor({ ...base, room: 'disconnected', failed: true })).toBe('failed');
  });
});
