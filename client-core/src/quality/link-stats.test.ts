import { describe, expect, it } from 'vitest';
import { sampleLink } from './link-stats.js';

/** A peer connection whose report holds one selected pair that has sent `bytes` by `atMs`. */
function pcAt(bytes: number, atMs: number, availableOutgoingBitrate = 488_000): RTCPeerConnection {
  const stats = [
    { type: 'transport', id: 'T', selectedCandidatePairId: 'P' },
    { type: 'candidate-pair', id: 'P', bytesSent: bytes, timestamp: atMs, availableOutgoingBitrate },
  ];
  return { getStats: async () => ({ forEach: (f: (s: unknown) => void) => stats.forEach(f) }) } as unknown as RTCPeerConnection;
}

describe('a reading of the link', () => {
  it('gives the send rate since the last reading of the same connection, and none without one', async () => {
    const first = await sampleLink(pcAt(100_000, 10_000));
    expect(first.sentKbps).toBeNull();
    expect(first.availableKbps).toBe(488);
    const second = await sampleLink(pcAt(145_000, 11_000), first.sent);
    expect(second.sentKbps).toBe(360);
  });

  it('a count that went back (another connection) gives no rate', async () => {
    const first = await sampleLink(pcAt(500_000, 10_000));
    expect((await sampleLink(pcAt(1_000, 11_000), first.sent)).sentKbps).toBeNull();
  });
});
