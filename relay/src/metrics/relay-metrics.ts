import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CallOutcome, type ExternalCalls } from './external.js';

/** What the gauges read at each scrape; set once the rooms, sockets and outbox exist. */
export interface LiveSources {
  liveSessions(): number;
  openSockets(): number;
  /** Bytes waiting in the sockets' send buffers. */
  socketBacklogBytes(): number;
}

/** Why a frame was not sent (relay_frames_dropped_total's `reason`). */
export const DropReason = {
  /** Its socket was behind (ws/backlog.ts). */
  socketBacklog: 'socket_backlog',
  /** The Redis publisher between relays was behind (cluster/bus.ts). */
  busBacklog: 'bus_backlog',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

export interface OutboxDepth {
  pending: number;
  retrying: number;
}

// Fan-out is in-process (tens of microseconds) unless a feature persists first (a database write);
// buckets from 0.1 ms to 1 s cover both.
const FAN_OUT_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
// Zendesk and Twilio answer in tens to hundreds of milliseconds; timeouts are 10 to 30 s.
const CALL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function externalCalls(registry: Registry, service: 'helpdesk' | 'twilio', what: string): ExternalCalls {
  const duration = new Histogram({
    name: `relay_${service}_request_duration_seconds`,
    help: `${what} requests: time to the response's headers, by outcome`,
    labelNames: ['outcome'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: `relay_${service}_request_errors_total`,
    help: `${what} requests that did not succeed, by outcome (client_error, rate_limited, server_error, network)`,
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    observe(seconds, outcome) {
      duration.observe({ outcome }, seconds);
      if (outcome !== CallOutcome.ok) errors.inc({ outcome });
    },
  };
}

/**
 * One relay's Prometheus metrics, in a registry of its own (tests run several relays in one
 * process). Counters and histograms are fed where things happen; gauges are read at scrape time.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly framesIn: Counter;
  readonly framesOut: Counter;
  readonly framesDropped: Counter<'reason'>;
  readonly socketsTooFarBehind: Counter;
  readonly fanOutSeconds: Histogram;
  readonly uploadBytes: Counter;
  readonly outboxRetries: Counter;
  readonly outboxFailures: Counter;
  readonly helpdesk: ExternalCalls;
  readonly twilio: ExternalCalls;
  private live: LiveSources | null = null;
  private outboxDepth: (() => Promise<OutboxDepth>) | null = null;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    // Memory, CPU, event-loop lag, GC and handles: a production relay wants them; tests running
    // many relays in one process skip the event-loop sampler and GC observer each would add.
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    // Read at scrape time through arrows (a gauge's collect() has the gauge as `this`).
    const liveSessions = () => this.live?.liveSessions() ?? 0;
    const openSockets = () => this.live?.openSockets() ?? 0;
    const outboxDepth = () => this.outboxDepth?.().catch(() => null) ?? Promise.resolve(null);
    const socketBacklog = () => this.live?.socketBacklogBytes() ?? 0;
    new Gauge({
      name: 'relay_sessions_live',
      help: 'Sessions with a live room on this relay',
      registers,
      collect() {
        this.set(liveSessions());
      },
    });
    new Gauge({
      name: 'relay_sockets_open',
      help: 'WebSockets open on this relay',
      registers,
      collect() {
        this.set(openSockets());
      },
    });
    new Gauge({
      name: 'relay_outbox_depth',
      help: 'Write-back operations waiting (pending) or waiting to retry (retrying); the shared database, so the same on every relay',
      labelNames: ['state'],
      registers,
      async collect() {
        // A database that does not answer drops the series (an alert can see it is absent) rather
        // than failing the whole scrape or repeating a stale figure.
        const depth = await outboxDepth();
        if (!depth) {
          this.reset();
          return;
        }
        this.set({ state: 'pending' }, depth.pending);
        this.set({ state: 'retrying' }, depth.retrying);
      },
    });
    this.framesIn = new Counter({ name: 'relay_frames_in_total', help: 'WebSocket frames received from clients', registers });
    this.framesOut = new Counter({ name: 'relay_frames_out_total', help: 'WebSocket frames sent to clients', registers });
    this.framesDropped = new Counter({
      name: 'relay_frames_dropped_total',
      help: 'Frames a newer one replaces (pointer, upload progress) not sent because their socket (socket_backlog) or the Redis publisher between relays (bus_backlog) was behind',
      labelNames: ['reason'],
      registers,
    });
    // Both series from the start: rate() and alerts need a zero before the first drop.
    for (const reason of Object.values(DropReason)) this.framesDropped.inc({ reason }, 0);
    this.socketsTooFarBehind = new Counter({
      name: 'relay_sockets_too_far_behind_total',
      help: 'WebSockets closed (1013) because more than 8 MiB waited to be sent to them',
      registers,
    });
    new Gauge({
      name: 'relay_socket_backlog_bytes',
      help: "Bytes waiting in this relay's WebSockets' send buffers, all sockets together",
      registers,
      collect() {
        this.set(socketBacklog());
      },
    });
    this.fanOutSeconds = new Histogram({
      name: 'relay_fanout_seconds',
      help: "From a frame's arrival at its room to each frame it causes for another socket",
      buckets: FAN_OUT_BUCKETS,
      registers,
    });
    this.uploadBytes = new Counter({ name: 'relay_upload_bytes_total', help: 'Bytes of photos, stills and snapshots received', registers });
    this.outboxRetries = new Counter({ name: 'relay_outbox_retries_total', help: 'Write-back attempts that will be retried', registers });
    this.outboxFailures = new Counter({
      name: 'relay_outbox_failures_total',
      help: 'Write-back operations that failed for good (the note is not on the ticket)',
      registers,
    });
    this.helpdesk = externalCalls(this.registry, 'helpdesk', 'Helpdesk (Zendesk or Freshdesk) REST');
    this.twilio = externalCalls(this.registry, 'twilio', 'Twilio REST');
  }

  watchLive(sources: LiveSources): void {
    this.live = sources;
  }

  watchOutbox(depth: () => Promise<OutboxDepth>): void {
    this.outboxDepth = depth;
  }

  /** With REDIS_URL only: a relay on its own has no bus, and no series for it. */
  watchBus(pendingBytes: () => number): void {
    new Gauge({
      name: 'relay_bus_pending_bytes',
      help: 'Bytes this relay published to the other relays through Redis that Redis has not yet acknowledged',
      registers: [this.registry],
      collect() {
        this.set(pendingBytes());
      },
    });
  }
}
