import { z } from 'zod';

/** 0.1 ms buckets up to 5 s: a load step records hundreds of thousands of latencies, so no list. */
const BUCKET_MS = 0.1;
const BUCKETS = 50_000;

/** Only the buckets that hold something, as [bucket, count] pairs: how workers send theirs. */
export const HistogramJsonSchema = z.array(
  z.tuple([
    z
      .number()
      .int()
      .min(0)
      .max(BUCKETS - 1),
    z.number().int().positive(),
  ]),
);
export type HistogramJson = z.infer<typeof HistogramJsonSchema>;

/** Latencies in ms, mergeable across worker processes; percentiles to 0.1 ms. */
export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));
    this.counts[bucket]! += 1;
    this.total += 1;
  }

  merge(json: HistogramJson): void {
    for (const [bucket, count] of json) {
      this.counts[bucket]! += count;
      this.total += count;
    }
  }

  toJSON(): HistogramJson {
    const out: HistogramJson = [];
    this.counts.forEach((count, bucket) => {
      if (count > 0) out.push([bucket, count]);
    });
    return out;
  }

  /** Nearest rank, as stats.ts; the bucket's upper edge, so a figure is never flattering. NaN when empty. */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.min(this.total, Math.max(1, Math.ceil((p / 100) * this.total)));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket += 1) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return (bucket + 1) * BUCKET_MS;
    }
    return BUCKETS * BUCKET_MS;
  }
}
