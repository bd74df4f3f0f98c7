import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';

/**
 * The RTCPeerConnections a page makes, seen from inside it: each one in the order made, with every
 * `connectionState` it went through and the video frames it decoded. A person notices a pair being
 * replaced as a frozen picture; this tells a test which pair carried the picture and whether it is
 * still the same one.
 */

const GLOBAL = '__liveAssistPeerConnections';

/**
 * Installed before any page script runs, in every frame of the context (the console is a frame
 * of the helpdesk page). A string, not a function: the product's CSP refuses `eval`, and an init
 * script is no subject of it, but a transpiled function might carry helpers the page lacks.
 */
const RECORDER = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.${GLOBAL}) return;
  const made = [];
  Object.defineProperty(window, '${GLOBAL}', { value: made });
  window.RTCPeerConnection = new Proxy(Native, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget);
      const entry = { pc, states: [pc.connectionState] };
      pc.addEventListener('connectionstatechange', () => entry.states.push(pc.connectionState));
      made.push(entry);
      return pc;
    },
  });
})();`;

/** Call before the context opens its pages. */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: RECORDER });
}

export interface PeerConnectionSeen {
  /** Its place in the order the page made them (stable: the list only grows). */
  index: number;
  /** Every `connectionState` it was in, first to now. */
  states: string[];
  /** Inbound video frames decoded so far (0 without inbound video). */
  framesDecoded: number;
  /** Inbound voice packets received so far: the voice still flows when the picture is paused. */
  audioPacketsReceived: number;
}

/** The page's peer connections now. */
export function peerConnections(target: Page | Frame): Promise<PeerConnectionSeen[]> {
  return target.evaluate(`(async () => {
    const made = window.${GLOBAL} ?? [];
    return Promise.all(made.map(async ({ pc, states }, index) => {
      let framesDecoded = 0;
      let audioPacketsReceived = 0;
      if (pc.connectionState !== 'closed') {
        const stats = await pc.getStats();
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded += s.framesDecoded ?? 0;
          if (s.type === 'inbound-rtp' && s.kind === 'audio') audioPacketsReceived += s.packetsReceived ?? 0;
        });
      }
      return { index, states: [...states], framesDecoded, audioPacketsReceived };
    }));
  })()`);
}

/** The one connected pair that decodes video: the picture the person sees. Throws unless exactly one. */
export async function pictureCarrier(target: Page | Frame): Promise<PeerConnectionSeen> {
  const all = await peerConnections(target);
  const carrying = all.filter((pc) => pc.states.at(-1) === 'connected' && pc.framesDecoded > 0);
  if (carrying.length !== 1) throw new Error(`expected one connected pair with video, found: ${JSON.stringify(all)}`);
  return carrying[0]!;
}

export interface FreezeMeter {
  /** Stops measuring: the longest time without a new frame on screen since the start, and the frames shown. */
  stop(): Promise<{ longestMs: number; frames: number }>;
}

/**
 * Measures how long the picture of `video` stands still: the longest time between two frames the
 * browser presented (requestVideoFrameCallback), counted up to `stop()`. A figure for the log, not
 * for an assertion (it depends on the machine); a replaced pair shows here as a freeze.
 */
export async function startFreezeMeter(video: Locator): Promise<FreezeMeter> {
  type Meter = { lastAt: number; longest: number; frames: number; stopped: boolean };
  type Metered = HTMLVideoElement & { liveAssistFreezeMeter?: Meter };
  await video.evaluate((v: Metered) => {
    const meter: Meter = { lastAt: performance.now(), longest: 0, frames: 0, stopped: false };
    v.liveAssistFreezeMeter = meter;
    const onFrame = (now: number) => {
      if (meter.stopped) return;
      meter.longest = Math.max(meter.longest, now - meter.lastAt);
      meter.lastAt = now;
      meter.frames += 1;
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  });
  return {
    stop: () =>
      video.evaluate((v: Metered) => {
        const meter = v.liveAssistFreezeMeter;
        if (!meter) return { longestMs: Number.POSITIVE_INFINITY, frames: 0 };
        meter.stopped = true;
        return { longestMs: Math.round(Math.max(meter.longest, performance.now() - meter.lastAt)), frames: meter.frames };
      }),
  };
}

/**
 * Where a connected pair sends its media, as its ICE transport selected it. Only the remote end:
 * Chromium's stats leave the local candidate's address empty.
 */
export interface SelectedRoute {
  index: number;
  remote: string;
  /** `host`, `srflx`, `relay` or `prflx` (learnt from a check, not from signalling). */
  remoteType: string;
  protocol: string;
}

/** Each connected pair's selected route: a test of a network path checks the media really takes it. */
export function selectedRoutes(target: Page | Frame): Promise<SelectedRoute[]> {
  return target.evaluate(`(async () => {
    const made = window.${GLOBAL} ?? [];
    const routes = [];
    for (const [index, { pc }] of made.entries()) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      stats.forEach((t) => {
        if (t.type !== 'transport' || !t.selectedCandidatePairId) return;
        const pair = stats.get(t.selectedCandidatePairId);
        const remote = pair && stats.get(pair.remoteCandidateId);
        if (remote) routes.push({ index, remote: remote.address ?? remote.ip, remoteType: remote.candidateType, protocol: remote.protocol });
      });
    }
    return routes;
  })()`);
}

/** What the page's connected pair sends, for rates over two readings: bytes with their headers. */
export interface Uplink {
  /** The sender's bandwidth estimate (kbit/s), null before there is one. */
  availableKbps: number | null;
  videoBytes: number;
  audioBytes: number;
  /** The video's round trip and loss as the receiver's reports give them (what the ladder reads), null before any. */
  rttMs: number | null;
  fractionLost: number | null;
  /** Why the video encoder sends less than it could (\`qualityLimitationReason\`: bandwidth, cpu, none), null before any. */
  limitedBy: string | null;
  /** The video's frames per second as sent, null before any. */
  sentFps: number | null;
  /** The report's time (ms). */
  at: number;
}

export function uplink(target: Page | Frame): Promise<Uplink> {
  return target.evaluate(`(async () => {
    const made = window.${GLOBAL} ?? [];
    const out = { availableKbps: null, videoBytes: 0, audioBytes: 0, rttMs: null, fractionLost: null, limitedBy: null, sentFps: null, at: performance.now() };
    for (const { pc } of made) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && typeof s.availableOutgoingBitrate === 'number') {
          out.availableKbps = s.availableOutgoingBitrate / 1000;
        }
        if (s.type === 'remote-inbound-rtp' && s.kind === 'video') {
          if (typeof s.roundTripTime === 'number') out.rttMs = Math.round(s.roundTripTime * 1000);
          if (typeof s.fractionLost === 'number') out.fractionLost = s.fractionLost;
        }
        if (s.type !== 'outbound-rtp') return;
        const bytes = (s.bytesSent ?? 0) + (s.headerBytesSent ?? 0);
        if (s.kind === 'video') out.videoBytes += bytes;
        if (s.kind === 'video' && typeof s.qualityLimitationReason === 'string') out.limitedBy = s.qualityLimitationReason;
        if (s.kind === 'video' && typeof s.framesPerSecond === 'number') out.sentFps = s.framesPerSecond;
        if (s.kind === 'audio') out.audioBytes += bytes;
      });
    }
    return out;
  })()`);
}

/** kbit/s between two readings. */
export function ratesBetween(a: Uplink, b: Uplink): { videoKbps: number; audioKbps: number } {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  return {
    videoKbps: ((b.videoBytes - a.videoBytes) * 8) / 1000 / seconds,
    audioKbps: ((b.audioBytes - a.audioBytes) * 8) / 1000 / seconds,
  };
}
