/**
 * The relay's own view of a window, from its `/metrics` (open to loopback callers): how long a
 * frame spends inside the relay (arrival at its room → each frame it causes sent) and how late its
 * event loop ran. Next to the latency the clients see, it tells the relay's work from the time
 * frames wait in socket buffers and for a CPU.
 */

export interface RelayScrape {
  /** relay_fanout_seconds: cumulative count per upper bound (ms), +Inf as Infinity. */
  fanOut: Map<number, number>;
  /** prom-client's event-loop delay p99 since the previous scrape (it resets on each), ms. */
  loopLagP99Ms: number | null;
}

async function metricsText(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  return res.text();
}

/** A gauge's value in a scrape, or null when the scrape has none. */
function gauge(text: string, name: string): number | null {
  const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
  return value === undefined ? null : Number(value);
}

export async function scrapeRelay(url: string): Promise<RelayScrape> {
  const text = await metricsText(url);
  const fanOut = new Map<number, number>();
  for (const found of text.matchAll(/^relay_fanout_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)) {
    fanOut.set(found[1] === '+Inf' ? Infinity : Number(found[1]) * 1000, Number(found[2]));
  }
  const lag = gauge(text, 'nodejs_eventloop_lag_p99_seconds');
  return { fanOut, loopLagP99Ms: lag === null ? null : lag * 1000 };
}

/**
 * What the relay's JavaScript holds (MB): V8's heap in use plus external memory (buffers held by
 * JS objects), from prom-client's process metrics. Unlike RSS it drops to what is still reachable
 * at each collection: its lows over time rise only when something keeps objects alive.
 */
export async function liveMemoryMb(url: string): Promise<number> {
  const text = await metricsText(url);
  const bytes = (name: string) => {
    const value = gauge(text, name);
    if (value === null) throw new Error(`/metrics has no ${name}`);
    return value;
  };
  return (bytes('nodejs_heap_size_used_bytes') + bytes('nodejs_external_memory_bytes')) / 2 ** 20;
}

/** Samples `liveMemoryMb` of each relay every `everyMs` until stopped; answers each one's lowest. */
export function watchLiveMemory(urls: readonly string[], everyMs: number): { stop(): number[] } {
  const low = urls.map(() => Infinity);
  const sample = () =>
    urls.forEach((url, i) => {
      liveMemoryMb(url).then(
        (mb) => (low[i] = Math.min(low[i]!, mb)),
        () => undefined,
      );
    });
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return [...low];
    },
  };
}

/** The bucket bound (ms) under which `p` % of the window's fan-outs fell; NaN when there were none. */
export function fanOutPercentile(before: RelayScrape, after: RelayScrape, p: number): number {
  const bounds = [...after.fanOut.keys()].sort((a, b) => a - b);
  const inWindow = bounds.map((le) => (after.fanOut.get(le) ?? 0) - (before.fanOut.get(le) ?? 0));
  const total = inWindow[inWindow.length - 1] ?? 0;
  if (total <= 0) return Number.NaN;
  const index = inWindow.findIndex((count) => count >= (p / 100) * total);
  return bounds[index] ?? Infinity;
}
