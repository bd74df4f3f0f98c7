import { describe, expect, it } from 'vitest';
import type { ParticipantState } from '@live-assist/protocol';
import { acceptSignal, needsOffer, samePage } from './peer.js';
import type { RelayedSignalFrame } from './socket.js';

const specialist = (connectionId: string | null, connected = true): ParticipantState => ({
  role: 'specialist',
  connectionId,
  connected,
  displayName: 'Ana',
  media: { camera: true, microphone: true },
});

const offerFrom = (fromConnectionId: string, from: 'specialist' | 'customer' = 'specialist'): RelayedSignalFrame => ({
  type: 'signal',
  from,
  fromConnectionId,
  signal: { kind: 'offer', sdp: 'v=0' },
});

describe('acceptSignal', () => {
  it("accepts signals from the peer's current connection", () => {
    expect(acceptSignal(offerFrom('s-2'), 'customer', specialist('s-2'))).toBe(true);
  });
  it('drops signals from a replaced connection of the peer', () => {
    expect(acceptSignal(offerFrom('s-1'), 'customer', specialist('s-2'))).toBe(false);
  });
  it('drops signals when the peer is unknown or has no connection', () => {
    expect(acceptSignal(offerFrom('s-1'), 'customer', null)).toBe(false);
    expect(acceptSignal(offerFrom('s-1'), 'customer', specialist(null, false))).toBe(false);
  });
  it('drops signals that claim to come from our own role', () => {
    expect(acceptSignal(offerFrom('s-1', 'customer'), 'customer', specialist('s-1'))).toBe(false);
  });
});

describe('needsOffer', () => {
  const customer = (connectionId: string | null, connected = true): ParticipantState => ({
    ...specialist(connectionId, connected),
    role: 'customer',
  });
  it('offers to a newly connected customer connection only once', () => {
    expect(needsOffer(customer('c-1'), null)).toBe(true);
    expect(needsOffer(customer('c-1'), 'c-1')).toBe(false);
    expect(needsOffer(customer('c-2'), 'c-1')).toBe(true);
  });
  it('does not offer to a disconnected customer', () => {
    expect(needsOffer(customer('c-1', false), null)).toBe(false);
    expect(needsOffer(null, null)).toBe(false);
  });
});

describe('samePage', () => {
  it('recognises the page a pair was made with on any of its connections', () => {
    expect(samePage({ ...specialist('s-2'), instanceId: 'desk-1' }, 'desk-1')).toBe(true);
  });
  it('tells another page, and one that does not name itself, from it', () => {
    expect(samePage({ ...specialist('s-2'), instanceId: 'desk-2' }, 'desk-1')).toBe(false);
    expect(samePage(specialist('s-2'), 'desk-1')).toBe(false);
    expect(samePage(specialist('s-2'), null)).toBe(false);
  });
});
