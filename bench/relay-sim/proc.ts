import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What a process costs, read from Linux's /proc as `top` and `ps` do: no agent inside the relay, so
 * the figure is the same for the relay, the bare server and the load generator.
 */

/** Clock ticks per second of /proc/<pid>/stat's times (100 on every Linux seen, asked once anyway). */
const CLK_TCK = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) the process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime); fields[0] is field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident memory (VmRSS) in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/** Open file descriptors: sockets, database files and connections, pipes. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export interface ProcessSample {
  /** CPU used over the window, in % of one core. */
  cpuPercent: number;
  /** Highest and lowest resident memory seen during the window (sampled every second), and at its end. */
  peakRssMb: number;
  lowRssMb: number;
  endRssMb: number;
}

export interface ProcessWatch {
  stop(): ProcessSample[];
}

/** Starts a window over `pids`: CPU between start and stop, RSS sampled every second. */
export function watchProcesses(pids: readonly number[]): ProcessWatch {
  const started = performance.now();
  const cpu0 = pids.map(cpuSeconds);
  const peak = pids.map(rssMb);
  const low = [...peak];
  const sampler = setInterval(() => {
    pids.forEach((pid, i) => {
      const rss = rssMb(pid);
      peak[i] = Math.max(peak[i]!, rss);
      low[i] = Math.min(low[i]!, rss);
    });
  }, 1000);
  sampler.unref();
  return {
    stop() {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      return pids.map((pid, i) => {
        const end = rssMb(pid);
        return {
          cpuPercent: ((cpuSeconds(pid) - cpu0[i]!) / seconds) * 100,
          peakRssMb: Math.max(peak[i]!, end),
          lowRssMb: Math.min(low[i]!, end),
          endRssMb: end,
        };
      });
    },
  };
}
