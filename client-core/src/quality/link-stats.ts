import type { LinkSample } from './ladder.js';

type Stat = Record<string, unknown> & { type: string; id: string };

/** Bytes the selected pair had sent, and when (the report's clock, ms): two give the send rate. */
export type SentCount = { bytes: number; atMs: number };

/**
 * One reading of this side's uplink from the peer connection's statistics: the sender's bandwidth
 * estimate (the selected candidate pair), and what the other side's receiver reports (RTCP) about
 * this side's video, or its voice while no video is sent; whether the video encoder has started.
 * With the last reading's count of the same peer connection, also what was sent since.
 */
export async function sampleLink(pc: RTCPeerConnection, previous: SentCount | null = null): Promise<LinkSample & { sent?: SentCount }> {
  const report = await pc.getStats();
  const stats: Stat[] = [];
  report.forEach((s: Stat) => stats.push(s));
  const byId = new Map(stats.map((s) => [s.id, s]));
  const transport = stats.find((s) => s.type === 'transport');
  const pair =
    (typeof transport?.selectedCandidatePairId === 'string' ? byId.get(transport.selectedCandidatePairId) : undefined) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  const available = typeof pair?.availableOutgoingBitrate === 'number' ? pair.availableOutgoingBitrate / 1000 : null;

  const remote = (kind: string) => stats.find((s) => s.type === 'remote-inbound-rtp' && s.kind === kind);
  const video = remote('video');
  const audio = remote('audio');
  // Video is what a thin link loses first; while none is sent its report goes stale, so the voice's counts.
  const videoSending = stats.some(
    (s) => s.type === 'outbound-rtp' && s.kind === 'video' && s.active !== false && numberOf(s.framesPerSecond) > 0,
  );
  const videoStarted = stats.some((s) => s.type === 'outbound-rtp' && s.kind === 'video' && numberOf(s.framesEncoded) > 0);
  const rtcp = videoSending && video ? video : (audio ?? video);
  const loss = typeof rtcp?.fractionLost === 'number' ? rtcp.fractionLost : null;
  const rtt = typeof rtcp?.roundTripTime === 'number' ? rtcp.roundTripTime * 1000 : null;
  const sent =
    typeof pair?.bytesSent === 'number' && typeof pair.timestamp === 'number' ? { bytes: pair.bytesSent, atMs: pair.timestamp } : undefined;
  const sentKbps =
    sent && previous && sent.atMs > previous.atMs && sent.bytes >= previous.bytes
      ? ((sent.bytes - previous.bytes) * 8) / (sent.atMs - previous.atMs)
      : null;
  return { availableKbps: available, loss, rttMs: rtt, sentKbps, videoStarted, ...(sent ? { sent } : {}) };
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
