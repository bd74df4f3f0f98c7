/**
 * Relay load: simulated participants over real WebSockets (no browsers). Each session is a
 * specialist socket and a customer socket, both having said hello with tokens the relay's HTTP API
 * handed out (app load → create session → customer's consent). The specialist sends a pointer
 * frame 30 times a second, each side a chat line every 10 s, each socket client-core's ping every
 * 15 s. Measured per step (SESSIONS): pointer fan-out latency specialist → customer (p50/p99), the
 * chat's (stored, then delivered), frames delivered per second, and each relay's CPU and RSS
 * (/proc). Topologies: one relay; two relays sharing PostgreSQL and Redis with the specialist on A
 * and the customer on B, so every frame crosses relays.
 *
 * The raw limit, in the same run at the same session count: the same sockets and frames through a
 * bare WebSocket forwarding server (bench/bare-server.ts, two sockets per pair) in its own process.
 * The load generator runs in GEN_WORKERS processes; their CPU is printed so a saturated generator
 * shows.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { startBareProcess } from '../relay-sim/bare.js';
import { startGenerator, trouble, type Window } from '../relay-sim/generator.js';
import { SimMode, type SessionEndpoints } from '../relay-sim/messages.js';
import { rssMb, watchProcesses, type ProcessSample } from '../relay-sim/proc.js';
import { fanOutPercentile, scrapeRelay } from '../relay-sim/relay-metrics.js';
import { startHelpdesk, startRig, Storage, Topology } from '../relay-sim/relays.js';
import { each, fixed, sleep, table } from '../relay-sim/report.js';

/** A comma-separated list: `SESSIONS=100,250`. */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const Env = z.object({
  SESSIONS: csv.pipe(z.array(z.string().transform(Number).pipe(z.number().int().positive())).min(1)).default([100, 250, 500, 1000]),
  /** Seconds measured per step, after the sockets are in and WARMUP_S of traffic. */
  DURATION_S: z.coerce.number().positive().default(20),
  WARMUP_S: z.coerce.number().nonnegative().default(3),
  /** Default: one relay, plus two relays when REDIS_URL is set. */
  TOPOLOGY: csv.pipe(z.array(z.enum([Topology.one, Topology.two])).min(1)).optional(),
  REDIS_URL: z.string().min(1).optional(),
  /** The one relay's database; two relays always share PostgreSQL (TEST_DATABASE_URL, a fresh schema each). */
  STORAGE: z.enum([Storage.sqlite, Storage.postgres]).default(Storage.sqlite),
  GEN_WORKERS: z.coerce.number().int().positive().default(2),
  /** RAW=0 skips the bare-server figure. */
  RAW: z.enum(['0', '1']).default('1'),
});
const env = Env.parse(process.env);
const topologies = env.TOPOLOGY ?? (env.REDIS_URL ? [Topology.one, Topology.two] : [Topology.one]);

/** The issue's goal: 500 sessions at 30 Hz with p99 ≤ 50 ms and ≤ 500 MB RSS per relay process. */
const GOAL = { sessions: 500, p99Ms: 50, rssMb: 500 } as const;

interface Row {
  sessions: number;
  label: string;
  relay: boolean;
  window: Window;
  servers: ProcessSample[];
  /** Per relay, from its /metrics: frame arrival → sent, p99 (bucket bound), and event-loop delay p99. */
  inRelayP99Ms: number[];
  loopLagP99Ms: number[];
  /** RSS with the sessions created, before their sockets: what the sockets add is the rest. */
  beforeRssMb: number[];
  generatorCpu: number;
  setupMs: number | null;
  connectMs: number;
}

const LABEL = { raw: 'raw: bare ws forward', [Topology.one]: 'one relay', [Topology.two]: 'two relays + Redis' } as const;

/** Connects, warms up, measures one window and disconnects; `window` null when no pointer frame got through. */
async function measure(sessions: SessionEndpoints[], mode: SimMode, serverPids: number[], relayUrls: string[] = []) {
  const generator = await startGenerator(env.GEN_WORKERS);
  try {
    const beforeRssMb = serverPids.map(rssMb);
    const connecting = performance.now();
    await generator.connect(sessions, mode);
    const connectMs = performance.now() - connecting;
    await generator.start();
    await sleep(env.WARMUP_S * 1000);
    const warm = await generator.collect();
    if (warm.pointersReceived === 0) return { connectMs, beforeRssMb, window: null, warm };
    const scrapedBefore = await Promise.all(relayUrls.map(scrapeRelay));
    const servers = watchProcesses(serverPids);
    const generatorWatch = watchProcesses([...generator.pids, process.pid]);
    await sleep(env.DURATION_S * 1000);
    const window = await generator.collect();
    const serverCost = servers.stop();
    const generatorCpu = generatorWatch.stop().reduce((sum, s) => sum + s.cpuPercent, 0);
    const scrapedAfter = await Promise.all(relayUrls.map(scrapeRelay));
    return {
      connectMs,
      beforeRssMb,
      window,
      warm,
      servers: serverCost,
      generatorCpu,
      inRelayP99Ms: scrapedAfter.map((after, i) => fanOutPercentile(scrapedBefore[i]!, after, 99)),
      loopLagP99Ms: scrapedAfter.map((after) => after.loopLagP99Ms ?? Number.NaN),
    };
  } finally {
    await generator.stop();
  }
}

function printRow(row: Row): void {
  const w = row.window;
  const problems = trouble(w);
  console.log(
    `  ${row.sessions} sessions, ${row.label}: pointer p50 ${fixed(w.pointer.percentile(50))} ms, p99 ${fixed(w.pointer.percentile(99))} ms; ` +
      `chat p50 ${fixed(w.chat.percentile(50))} ms, p99 ${fixed(w.chat.percentile(99))} ms; ` +
      `${fixed(delivered(w), 0)} frames/s delivered (${fixed(w.pointersSent / w.seconds, 0)} pointer/s sent, ${fixed(lossPercent(w), 2)} % not arrived); ` +
      `CPU ${each(row.servers.map((s) => s.cpuPercent))} %, RSS ${each(row.servers.map((s) => s.peakRssMb))} MB; ` +
      (row.relay
        ? `inside the relay: fan-out p99 ≤ ${each(row.inRelayP99Ms, 1)} ms, event-loop delay p99 ${each(row.loopLagP99Ms, 1)} ms; `
        : '') +
      `generator CPU ${fixed(row.generatorCpu, 0)} %` +
      (row.setupMs === null ? '' : `; set-up ${fixed(row.setupMs / 1000)} s`) +
      `, sockets in ${fixed(row.connectMs / 1000)} s` +
      (problems ? `; NOT honest traffic: ${problems}` : ''),
  );
}

/** Pointer and chat frames that reached the other side, a second. */
const delivered = (w: Window) => (w.pointersReceived + w.chatsReceived) / w.seconds;
const lossPercent = (w: Window) => Math.max(0, (1 - w.pointersReceived / Math.max(1, w.pointersSent)) * 100);

async function main(): Promise<void> {
  const steps = [...env.SESSIONS].sort((a, b) => a - b);
  console.log(
    `steps: ${steps.join(', ')} sessions × [${[...(env.RAW === '1' ? ['raw'] : []), ...topologies].join(', ')}], ` +
      `${env.DURATION_S} s measured after ${env.WARMUP_S} s warm-up; one-relay storage ${env.STORAGE}; ` +
      `load generator: ${env.GEN_WORKERS} worker processes; CPU % is of one core (this machine: ${availableParallelism()})`,
  );
  const helpdesk = await startHelpdesk(Math.max(...steps));
  const rows: Row[] = [];
  try {
    for (const sessions of steps) {
      if (env.RAW === '1') {
        const bare = await startBareProcess();
        try {
          const m = await measure(bare.endpoints(sessions), SimMode.bare, [bare.pid]);
          if (!m.window) throw new Error('no frame went through the bare server');
          const row = {
            sessions,
            label: LABEL.raw,
            relay: false,
            window: m.window,
            servers: m.servers!,
            beforeRssMb: m.beforeRssMb,
            inRelayP99Ms: [],
            loopLagP99Ms: [],
            generatorCpu: m.generatorCpu!,
            setupMs: null,
            connectMs: m.connectMs,
          };
          rows.push(row);
          printRow(row);
        } finally {
          await bare.close();
        }
      }
      for (const topology of topologies) {
        const rig = await startRig({
          topology,
          sessions,
          helpdesk,
          storage: env.STORAGE,
          ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
        });
        try {
          const m = await measure(
            rig.sessions,
            SimMode.relay,
            rig.relays.map((r) => r.pid),
            rig.relays.map((r) => r.url),
          );
          if (!m.window) {
            console.log(
              `  ${sessions} sessions, ${LABEL[topology]}: no pointer frame reached a customer in ${env.WARMUP_S} s of warm-up` +
                (topology === Topology.two ? ' — does this relay build share rooms through REDIS_URL yet?' : '') +
                ` (${trouble(m.warm) ?? 'no errors'}); not measured`,
            );
            continue;
          }
          const row: Row = {
            sessions,
            label: `${LABEL[topology]}${topology === Topology.one ? ` (${rig.storage})` : ''}`,
            relay: true,
            window: m.window,
            servers: m.servers!,
            beforeRssMb: m.beforeRssMb,
            inRelayP99Ms: m.inRelayP99Ms!,
            loopLagP99Ms: m.loopLagP99Ms!,
            generatorCpu: m.generatorCpu!,
            setupMs: rig.setupMs,
            connectMs: m.connectMs,
          };
          rows.push(row);
          printRow(row);
        } finally {
          await rig.close();
        }
      }
    }
  } finally {
    await helpdesk.close();
  }
  summarize(rows);
}

function summarize(rows: Row[]): void {
  const raw = new Map(rows.filter((r) => !r.relay).map((r) => [r.sessions, r]));
  console.log(
    '\nfan-out latency specialist → customer (pointer), and cost per process (CPU: % of one core; RSS: peak in the window; ' +
      "in relay: the relay's own fan-out histogram, frame arrival → sent, as a bucket bound; loop delay: its event loop's):",
  );
  console.log(
    table(
      [
        'sessions',
        'topology',
        'p50 ms',
        'p99 ms',
        'p99 / raw',
        'frames/s',
        'CPU % per relay',
        'RSS MB per relay',
        'generator CPU %',
        'chat p99 ms',
        'in relay p99 ms',
        'loop delay p99 ms',
      ],
      rows.map((r) => {
        const base = raw.get(r.sessions);
        return [
          String(r.sessions),
          r.label,
          fixed(r.window.pointer.percentile(50)),
          fixed(r.window.pointer.percentile(99)),
          r.relay && base ? `${fixed(r.window.pointer.percentile(99) / base.window.pointer.percentile(99), 2)}×` : '—',
          fixed(delivered(r.window), 0),
          each(r.servers.map((s) => s.cpuPercent)),
          each(r.servers.map((s) => s.peakRssMb)),
          fixed(r.generatorCpu, 0),
          fixed(r.window.chat.percentile(99)),
          r.relay ? each(r.inRelayP99Ms, 1) : '—',
          r.relay ? each(r.loopLagP99Ms, 1) : '—',
        ];
      }),
    ),
  );

  console.log(
    '\nhow the cost grows (RSS: peak in the window above the RSS before the sockets connected, per session; relay CPU, all relays together, per 1000 frames/s delivered):',
  );
  const relayRows = rows.filter((r) => r.relay);
  console.log(
    table(
      ['sessions', 'topology', 'RSS MB before sockets', 'RSS kB per session', 'CPU % per 1k frames/s', 'set-up s', 'sockets in s'],
      relayRows.map((r) => [
        String(r.sessions),
        r.label,
        each(r.beforeRssMb),
        each(r.servers.map((s, i) => ((s.peakRssMb - r.beforeRssMb[i]!) * 1024) / r.sessions)),
        fixed(r.servers.reduce((sum, s) => sum + s.cpuPercent, 0) / (delivered(r.window) / 1000), 2),
        fixed((r.setupMs ?? 0) / 1000),
        fixed(r.connectMs / 1000),
      ]),
    ),
  );
  for (const label of new Set(relayRows.map((r) => r.label))) {
    const mine = relayRows.filter((r) => r.label === label);
    const [first, last] = [mine[0], mine[mine.length - 1]];
    if (!first || !last || first === last) continue;
    const n = last.sessions - first.sessions;
    const rss = last.servers.map((s, i) => ((s.peakRssMb - first.servers[i]!.peakRssMb) * 1024) / n);
    const cpu = last.servers.map((s, i) => ((s.cpuPercent - first.servers[i]!.cpuPercent) / n) * 100);
    console.log(
      `  ${label}, ${first.sessions} → ${last.sessions} sessions: +${each(rss)} kB RSS and +${each(cpu, 1)} % CPU per 100 more sessions, per relay`,
    );
  }

  const atGoal = relayRows.filter((r) => r.sessions === GOAL.sessions);
  if (atGoal.length === 0) {
    console.log(
      `\ngoal (${GOAL.sessions} sessions at 30 Hz, p99 ≤ ${GOAL.p99Ms} ms, RSS ≤ ${GOAL.rssMb} MB per process): not measured (SESSIONS has no ${GOAL.sessions})`,
    );
  }
  for (const r of atGoal) {
    const p99 = r.window.pointer.percentile(99);
    const rss = Math.max(...r.servers.map((s) => s.peakRssMb));
    const met = p99 <= GOAL.p99Ms && rss <= GOAL.rssMb;
    console.log(
      `\ngoal, ${r.label}: ${GOAL.sessions} sessions at 30 Hz with p99 ${fixed(p99)} ms (≤ ${GOAL.p99Ms}) and RSS ${fixed(rss, 0)} MB (≤ ${GOAL.rssMb} per process) → ${met ? 'met' : 'NOT met'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
