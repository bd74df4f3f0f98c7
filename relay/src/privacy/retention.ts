import { BlobArea, sessionFolder, type BlobStore } from '../blobs/index.js';
import type { Logger } from '../logger.js';
import { AuditAction, AuditActorKind, type PrivacyRepository } from './types.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPolicy {
  /** Days after the session ended and its note settled; 0 deletes as soon as the note is written. */
  retentionDays: number;
  /** Days the minimal record (consent, times, note state) and the audit log are kept. */
  consentRetentionDays: number;
}

export interface RetentionDeps {
  repo: PrivacyRepository;
  /** Uploads live in `uploads/<sessionId>/`, long transcripts in `writeback/<sessionId>/`. */
  blobs: BlobStore;
  policy: RetentionPolicy;
  now: () => number;
  log?: Logger;
}

export interface SweepResult {
  /** Sessions whose personal data this sweep deleted. */
  purged: string[];
  /** Sessions whose minimal record this sweep deleted. */
  expired: string[];
  auditEntriesDropped: number;
}

/** Sessions handled per query: a backlog after a long outage is worked off in bounded steps. */
const BATCH = 100;

/** Every file of a session; a second sweep (or relay) that finds nothing is fine. */
export async function deleteSessionFiles(blobs: BlobStore, sessionId: string): Promise<void> {
  for (const area of Object.values(BlobArea)) await blobs.deleteFolder(sessionFolder(area, sessionId));
}

/**
 * One pass of the retention rules. Files go before rows: a crash in between leaves rows that the
 * next pass finds due again, never files that nothing points to any more.
 */
export async function sweepRetention(d: RetentionDeps): Promise<SweepResult> {
  const now = d.now();
  const purgeCutoff = now - d.policy.retentionDays * DAY_MS;
  const consentCutoff = now - d.policy.consentRetentionDays * DAY_MS;
  const result: SweepResult = { purged: [], expired: [], auditEntriesDropped: 0 };
  const seen = new Set<string>();
  for (;;) {
    const due = (await d.repo.purgeableSessions(purgeCutoff, BATCH)).filter((id) => !seen.has(id));
    if (due.length === 0) break;
    for (const id of due) {
      seen.add(id);
      await deleteSessionFiles(d.blobs, id);
      if (await d.repo.purgeSession(id, purgeCutoff, now)) result.purged.push(id);
    }
  }
  for (;;) {
    const due = (await d.repo.expirableSessions(consentCutoff, BATCH)).filter((id) => !seen.has(id));
    if (due.length === 0) break;
    for (const id of due) {
      seen.add(id);
      await deleteSessionFiles(d.blobs, id);
      if (await d.repo.expireSession(id)) result.expired.push(id);
    }
  }
  result.auditEntriesDropped = await d.repo.pruneAudit(consentCutoff);
  if (result.purged.length > 0 || result.expired.length > 0) {
    await d.repo.appendAudit({
      at: now,
      actorKind: AuditActorKind.system,
      actorId: 'retention',
      action: AuditAction.retentionPurge,
      account: null,
      ticketId: null,
      sessionId: null,
      detail: { purged: result.purged, expired: result.expired },
    });
    d.log?.info(`retention: personal data of ${result.purged.length} session(s) deleted, ${result.expired.length} record(s) expired`);
  }
  return result;
}

export interface Scheduler {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realScheduler: Scheduler = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    // The sweep must not keep a finished process (or test) alive.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * Runs the sweep at start and then every `intervalMs`; never two passes of one relay at once.
 * With RETENTION_DAYS=0 the interval is what "as soon as the note is written" means.
 */
export class RetentionSweeper {
  private handle: unknown = null;
  private running: Promise<SweepResult> | null = null;

  constructor(private readonly d: RetentionDeps & { intervalMs: number; scheduler?: Scheduler }) {}

  start(): void {
    if (this.handle !== null) return;
    const scheduler = this.d.scheduler ?? realScheduler;
    this.handle = scheduler.setInterval(() => void this.runOnce(), this.d.intervalMs);
    void this.runOnce();
  }

  /** The pass in progress if there is one, else a new one; a failure is logged, never thrown. */
  runOnce(): Promise<SweepResult> {
    this.running ??= sweepRetention(this.d)
      .catch((err: unknown) => {
        this.d.log?.error('retention sweep failed', err);
        return { purged: [], expired: [], auditEntriesDropped: 0 };
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.handle !== null) (this.d.scheduler ?? realScheduler).clearInterval(this.handle);
    this.handle = null;
    await this.running;
  }
}

/** Every 10 minutes; every minute in zero-retention mode, so data goes within a minute of the note. */
export function retentionIntervalMs(policy: RetentionPolicy): number {
  return policy.retentionDays === 0 ? 60_000 : 10 * 60_000;
}
