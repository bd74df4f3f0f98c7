/**
 * Relay soak: SESSIONS simulated sessions (default 250) with relay-load's traffic (pointer 30 Hz,
 * a chat line per side every 10 s, pings) for DURATION_S (default 30 minutes), on one relay or two
 * relays sharing PostgreSQL and Redis (TOPOLOGY=one|two). Prints each relay's RSS and open file
 * descriptors at the start (after WARMUP_S of traffic) and at the end, their growth, and a line
 * every REPORT_EVERY_S so a trend shows before the end. A leak shows as growth; the goal is under
 * 10 %. The figure compares each process with itself, so there is no raw run.
 */
import { z } from 'zod';
import { startGenerator, trouble } from '../relay-sim/generator.js';
import { SimMode } from '../relay-sim/messages.js';
import { openFds, rssMb, watchProcesses } from '../relay-sim/proc.js';
import { watchLiveMemory } from '../relay-sim/relay-metrics.js';
import { startHelpdesk, startRig, Storage, Topology } from '../relay-sim/relays.js';
import { each, fixed, sleep, table } from '../relay-sim/report.js';
import { median } from '../stats.js';

const Env = z.object({
  SESSIONS: z.coerce.number().int().positive().default(250),
  DURATION_S: z.coerce.number().positive().default(1800),
  /** Traffic before the start figures: sockets, rooms and the JIT settle first. */
  WARMUP_S: z.coerce.number().nonnegative().default(30),
  REPORT_EVERY_S: z.coerce.number().positive().default(60),
  TOPOLOGY: z.enum([Topology.one, Topology.two]).default(Topology.one),
  REDIS_URL: z.string().min(1).optional(),
  STORAGE: z.enum([Storage.sqlite, Storage.postgres]).default(Storage.sqlite),
  GEN_WORKERS: z.coerce.number().int().positive().default(2),
});
const env = Env.parse(process.env);

const GOAL_GROWTH_PERCENT = 10;
/** Start and end figures are medians of one sample a second over this long: one GC does not decide them. */
const SAMPLE_S = 10;

interface Figures {
  rssMb: number[];
  fds: number[];
}

async function sampleFigures(pids: number[]): Promise<Figures> {
  const rss: number[][] = pids.map(() => []);
  const fds: number[][] = pids.map(() => []);
  for (let s = 0; s < SAMPLE_S; s += 1) {
    pids.forEach((pid, i) => {
      rss[i]!.push(rssMb(pid));
      fds[i]!.push(openFds(pid));
    });
    await sleep(1000);
  }
  return { rssMb: rss.map(median), fds: fds.map(median) };
}

const growth = (start: number, end: number) => ((end - start) / start) * 100;

async function main(): Promise<void> {
  if (env.TOPOLOGY === Topology.two && !env.REDIS_URL) throw new Error('TOPOLOGY=two needs REDIS_URL (redis://127.0.0.1:6379/<db>)');
  const helpdesk = await startHelpdesk(env.SESSIONS);
  const rig = await startRig({
    topology: env.TOPOLOGY,
    sessions: env.SESSIONS,
    helpdesk,
    storage: env.STORAGE,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  });
  const generator = await startGenerator(env.GEN_WORKERS);
  const pids = rig.relays.map((r) => r.pid);
  const names = rig.relays.map((r) => r.name).join(' / ');
  try {
    console.log(
      `${env.SESSIONS} sessions on ${rig.topology === Topology.one ? `one relay (${rig.storage})` : 'two relays + Redis (specialists on A, customers on B)'}, ` +
        `${env.DURATION_S} s of traffic after ${env.WARMUP_S} s warm-up; set-up ${fixed(rig.setupMs / 1000)} s`,
    );
    await generator.connect(rig.sessions, SimMode.relay);
    await generator.start();
    await sleep(env.WARMUP_S * 1000);
    const warm = await generator.collect();
    if (warm.pointersReceived === 0)
      throw new Error(
        `no pointer frame reached a customer during the warm-up (${trouble(warm) ?? 'no errors'})` +
          (env.TOPOLOGY === Topology.two ? ': does this relay build share rooms through REDIS_URL yet?' : ''),
      );

    const start = await sampleFigures(pids);
    console.log(`start (${names}): RSS ${each(start.rssMb)} MB, open fds ${each(start.fds)}`);
    const began = performance.now();
    const endAt = began + env.DURATION_S * 1000;
    const problems: string[] = [];
    // The start figure may still hold the set-up's garbage: growth is also taken from the lowest RSS seen.
    const lowest = [...start.rssMb];
    // Each report window's lowest RSS per relay. A relay's RSS saws up and down with its garbage
    // collector (two-relay soak: 157–245 MB within minutes, no trend), so where the start and end
    // samples fall in that cycle can read as tens of percent either way. A leak raises the floor:
    // the lowest RSS of the run's first third against its last third.
    const windowLows: number[][] = [];
    // The same floor of what the JavaScript holds (heap in use + external), sampled every 2 s: a
    // relay's RSS also keeps pages its allocator has not handed back, so its floor can rise once
    // and stay level with nothing leaking; this one rises only with objects kept alive.
    const liveLows: number[][] = [];
    // Each report covers REPORT_EVERY_S (the last one what is left, less the end figures' sampling).
    for (;;) {
      const left = endAt - performance.now() - SAMPLE_S * 1000;
      if (left <= 0) break;
      const watch = watchProcesses(pids);
      const live = watchLiveMemory(
        rig.relays.map((r) => r.url),
        2000,
      );
      await sleep(Math.min(env.REPORT_EVERY_S * 1000, left));
      const w = await generator.collect();
      const cost = watch.stop();
      const liveLow = live.stop();
      liveLows.push(liveLow);
      cost.forEach((c, i) => (lowest[i] = Math.min(lowest[i]!, c.lowRssMb)));
      windowLows.push(cost.map((c) => c.lowRssMb));
      const issue = trouble(w);
      if (issue) problems.push(issue);
      console.log(
        `  ${fixed((performance.now() - began) / 60_000)} min: pointer p50 ${fixed(w.pointer.percentile(50))} ms, p99 ${fixed(w.pointer.percentile(99))} ms; ` +
          `${fixed((w.pointersReceived + w.chatsReceived) / w.seconds, 0)} frames/s delivered; CPU ${each(cost.map((c) => c.cpuPercent))} %, ` +
          `RSS ${each(cost.map((c) => c.endRssMb))} MB (low ${each(cost.map((c) => c.lowRssMb))}), ` +
          `JS heap + external low ${each(liveLow)} MB, open fds ${each(pids.map(openFds))}` +
          (issue ? `; NOT honest traffic: ${issue}` : ''),
      );
    }
    const end = await sampleFigures(pids);
    console.log(`end (${names}): RSS ${each(end.rssMb)} MB, open fds ${each(end.fds)}`);
    end.rssMb.forEach((rss, i) => (lowest[i] = Math.min(lowest[i]!, rss)));
    const third = Math.max(1, Math.floor(windowLows.length / 3));
    const floor = (windows: number[][], i: number) => Math.min(...windows.map((w) => w[i]!));
    const floorFirst = pids.map((_, i) => floor(windowLows.slice(0, third), i));
    const floorLast = pids.map((_, i) => floor(windowLows.slice(-third), i));
    const fdGrowth = pids.map((_, i) => growth(start.fds[i]!, end.fds[i]!));
    const liveFirst = pids.map((_, i) => floor(liveLows.slice(0, third), i));
    const liveLast = pids.map((_, i) => floor(liveLows.slice(-third), i));

    console.log(
      '\n' +
        table(
          [
            'process',
            'RSS MB start',
            'RSS MB lowest',
            'RSS MB end',
            'RSS growth %',
            'from lowest %',
            'floor first ⅓ MB',
            'floor last ⅓ MB',
            'floor growth %',
            'fds start',
            'fds end',
            'fds growth %',
          ],
          rig.relays.map((r, i) => [
            r.name,
            fixed(start.rssMb[i]!),
            fixed(lowest[i]!),
            fixed(end.rssMb[i]!),
            fixed(growth(start.rssMb[i]!, end.rssMb[i]!)),
            fixed(growth(lowest[i]!, end.rssMb[i]!)),
            fixed(floorFirst[i]!),
            fixed(floorLast[i]!),
            fixed(growth(floorFirst[i]!, floorLast[i]!)),
            String(start.fds[i]),
            String(end.fds[i]),
            fixed(fdGrowth[i]!),
          ]),
        ),
    );
    const worst = Math.max(
      ...rig.relays.flatMap((_, i) => [growth(start.rssMb[i]!, end.rssMb[i]!), growth(lowest[i]!, end.rssMb[i]!), fdGrowth[i]!]),
    );
    console.log(
      `goal: RSS (from the start and from the lowest) and open fds grow under ${GOAL_GROWTH_PERCENT} % over the run → ` +
        `${worst < GOAL_GROWTH_PERCENT ? 'met' : 'NOT met'} (worst ${fixed(worst)} %)`,
    );
    const worstFloor = Math.max(...pids.map((_, i) => growth(floorFirst[i]!, floorLast[i]!)));
    console.log(
      `leak check: RSS floor (lowest in the first third against the last third) and open fds grow under ${GOAL_GROWTH_PERCENT} % → ` +
        `${Math.max(worstFloor, ...fdGrowth) < GOAL_GROWTH_PERCENT ? 'met' : 'NOT met'} (floor ${fixed(worstFloor)} %)`,
    );
    console.log(
      '\n' +
        table(
          ['process', 'JS heap + external floor first ⅓ MB', 'floor last ⅓ MB', 'floor growth %'],
          rig.relays.map((r, i) => [r.name, fixed(liveFirst[i]!), fixed(liveLast[i]!), fixed(growth(liveFirst[i]!, liveLast[i]!))]),
        ),
    );
    const worstLive = Math.max(...pids.map((_, i) => growth(liveFirst[i]!, liveLast[i]!)));
    console.log(
      `leak check: JS heap + external floor (first third against the last third) and open fds grow under ${GOAL_GROWTH_PERCENT} % → ` +
        `${Math.max(worstLive, ...fdGrowth) < GOAL_GROWTH_PERCENT ? 'met' : 'NOT met'} (floor ${fixed(worstLive)} %)`,
    );
    if (problems.length > 0) console.log(`NOT honest traffic at some point: ${[...new Set(problems)].join('; ')}`);
  } finally {
    await generator.stop();
    await rig.close();
    await helpdesk.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
