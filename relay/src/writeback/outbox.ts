import type { BlobStore } from '../blobs/index.js';
import { withOwnLogContext } from '../log/index.js';
import type { Logger } from '../logger.js';
import { fittingCount, isSizeOrCountRefusal } from './limits.js';
import { isValidOpKey, noteMarker, withMarker } from './marker.js';
import { escapeHtml } from './note/html.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './retry.js';
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { isFollowUpPart, LeaseLost, OutboxStore, rootKeyOf, toStatus, type StoredOperation } from './store.js';
import { NoteFiles } from './note-files.js';
import {
  HelpdeskWriteError,
  WriteFailure,
  type HelpdeskNoteWriter,
  type NoteOperation,
  type OutboxStatus,
  type TicketFieldsOperation,
} from './types.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WritebackOutboxOptions {
  database: Database;
  /** This relay's name in lease columns; default: unique per process. */
  owner?: string;
  /**
   * How long a claimed operation stays this relay's without a sign of life (each step renews it);
   * after that another relay on the database takes it over. Longer than any one request. Default 2 min.
   */
  leaseMs?: number;
  writer: HelpdeskNoteWriter;
  /** Failures from 5xx, network errors and timeouts before an operation is marked failed. Default 8. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Upper bound on a Retry-After wait, against absurd headers. Default 15 min. */
  maxRetryAfterMs?: number;
  /**
   * Upload tokens are re-used within this age, then the file is uploaded again. Zendesk's upload
   * tokens expire after 60 minutes (and the files with them), so this stays well inside. Default 45 min.
   */
  uploadTokenTtlMs?: number;
  /** Longest sleep between looks for due work, also when none is known (another relay's). Default 60 s. */
  maxIdleMs?: number;
  /**
   * Least wait after an unclear note request (timeout, 5xx) before looking for its marker,
   * so a helpdesk still processing the slow request has stored the note by then. Default 15 s.
   */
  settleMs?: number;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  /**
   * Where attachments are read (the relay's blob store, shared by every relay on PostgreSQL, so
   * any relay can write any note); `size` keeps each comment within the helpdesk's limits.
   */
  blobs: Pick<BlobStore, 'get' | 'size'>;
  logger?: Logger;
  /** Counted as they happen (the relay's metrics): a retry scheduled, an operation failed for good. */
  counters?: { retries: { inc(): void }; failures: { inc(): void } };
}

export type StatusListener = (opKey: string, status: OutboxStatus) => void;

type Step = 'check' | 'upload' | 'note';

/** Zendesk's upload tokens live 60 minutes; a stored one is re-used only well inside that. */
export const UPLOAD_TOKEN_TTL_MS = 45 * 60_000;

/** The helpdesk stamps comments with its own clock (to the second); the marker search allows for drift. */
const MARKER_CLOCK_SKEW_MS = 10 * 60_000;

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A waiting retry must not keep a process alive that is otherwise done.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Persistent outbox of internal notes. Every step is committed to the database before the next
 * network call, so a restarted relay (even after SIGKILL) resumes where it stopped; a note
 * request that may have reached the helpdesk is never repeated without first looking for
 * the note's marker. Relays sharing a database each claim an operation before working it.
 */
export class WritebackOutbox {
  private readonly store: OutboxStore;
  private readonly writer: HelpdeskNoteWriter;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxRetryAfterMs: number;
  private readonly uploadTokenTtlMs: number;
  private readonly maxIdleMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly blobs: Pick<BlobStore, 'get' | 'size'>;
  private readonly logger: Logger | undefined;
  private readonly counters: WritebackOutboxOptions['counters'];
  private readonly listeners = new Set<StatusListener>();
  private readonly files: NoteFiles;

  private started = false;
  private timer: unknown = null;
  /** When the pending timer fires (this.now() clock); null without one. */
  private timerAt: number | null = null;
  private draining: Promise<void> | null = null;
  private inFlight: AbortController | null = null;
  /** A 429 throttles the whole account, not one ticket: nothing is sent before this time. */
  private pausedUntil = 0;

  constructor(options: WritebackOutboxOptions) {
    this.store = new OutboxStore(
      options.database,
      options.owner ?? `relay-${process.pid}-${randomUUID().slice(0, 8)}`,
      options.leaseMs ?? 120_000,
    );
    this.writer = options.writer;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 15 * 60_000;
    this.uploadTokenTtlMs = options.uploadTokenTtlMs ?? UPLOAD_TOKEN_TTL_MS;
    this.maxIdleMs = options.maxIdleMs ?? 60_000;
    this.settleMs = options.settleMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? realTimers;
    this.blobs = options.blobs;
    this.logger = options.logger;
    this.counters = options.counters;
    this.files = new NoteFiles({
      store: this.store,
      writer: this.writer,
      blobs: this.blobs,
      uploadTokenTtlMs: this.uploadTokenTtlMs,
      now: this.now,
      ...(this.logger ? { logger: this.logger } : {}),
    });
  }

  /** Returns false when an operation with this key exists already (then nothing changes). */
  async enqueue(op: NoteOperation): Promise<boolean> {
    if (!isValidOpKey(op.opKey)) throw new Error(`invalid outbox operation key: ${JSON.stringify(op.opKey)}`);
    if (!Number.isSafeInteger(op.ticketId) || op.ticketId <= 0) throw new Error(`invalid ticket id: ${op.ticketId}`);
    const created = await this.store.enqueue(op, this.now());
    if (created) {
      await this.emit(op.opKey);
      this.wake();
    }
    return created;
  }

  /** Queues ticket fields to write once their note is settled; false when they are queued already. */
  async enqueueTicketFields(op: TicketFieldsOperation): Promise<boolean> {
    if (!isValidOpKey(op.opKey)) throw new Error(`invalid outbox operation key: ${JSON.stringify(op.opKey)}`);
    if (!Number.isSafeInteger(op.ticketId) || op.ticketId <= 0) throw new Error(`invalid ticket id: ${op.ticketId}`);
    const created = await this.store.enqueueTicketFields(op, this.now());
    if (created) {
      await this.emit(op.opKey);
      this.wake();
    }
    return created;
  }

  async status(opKey: string): Promise<OutboxStatus | null> {
    const op = await this.store.get(opKey);
    return op ? toStatus(op) : null;
  }

  /** Called after every state change of any operation (for the sidebar's live status). */
  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  failedKeys(): Promise<string[]> {
    return this.store.failedKeys();
  }

  /** Operator action for a failed operation; false when it is not in the failed state. */
  async retryFailed(opKey: string): Promise<boolean> {
    const requeued = await this.store.requeue(opKey, this.now());
    if (requeued) {
      await this.emit(opKey);
      this.wake();
    }
    return requeued;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.wake();
  }

  /**
   * Stops claiming work; the operation in hand gets up to `graceMs` to finish (a graceful
   * shutdown), then its request is interrupted and it stays due for the next start or relay.
   */
  async stop(graceMs = 0): Promise<void> {
    this.started = false;
    this.clearTimer();
    const current = this.draining?.catch(() => {});
    if (current && graceMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([current, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.inFlight?.abort(new Error('outbox stopped'));
    await this.draining;
  }

  /** Operations waiting: due now or later (pending) and after a failure (retrying). */
  depth(): Promise<{ pending: number; retrying: number }> {
    return this.store.depth();
  }

  private wake(): void {
    if (!this.started || this.draining) return;
    this.schedule(0);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  /**
   * Never postpones a look already due sooner: a drain's "next due" read may have started before
   * an enqueue committed and woke the runner, and its stale answer (nothing, or later) must not
   * push that wake back by the idle time. A look that comes too early only finds nothing and
   * schedules again.
   */
  private schedule(delayMs: number): void {
    const at = this.now() + delayMs;
    if (this.timer !== null && this.timerAt !== null && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      void this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    if (!this.started || this.draining) return;
    this.draining = (async () => {
      while (this.started) {
        const now = this.now();
        if (this.pausedUntil > now) break;
        const op = await this.store.claimNext(now);
        if (!op) break;
        // Stopped while claiming: hand the operation straight back, untouched.
        if (!this.started) {
          await this.store.release(op.opKey);
          break;
        }
        // Its lines carry the session (`call-note:<sessionId>`, follow-up parts included), not
        // the request that happened to wake the outbox.
        const sessionId = /^(?:call-note|ticket-fields):(.+)$/.exec(rootKeyOf(op.opKey))?.[1];
        await withOwnLogContext({ opKey: op.opKey, ...(sessionId ? { sessionId } : {}) }, () => this.attempt(op));
      }
    })();
    try {
      await this.draining;
    } catch (error) {
      this.logger?.error('write-back outbox: drain failed', error);
    } finally {
      this.draining = null;
    }
    await this.scheduleNext().catch((error: unknown) => {
      this.logger?.error('write-back outbox: cannot read the next due time', error);
      // The database may be back shortly: look again rather than sleep forever.
      if (this.started) this.schedule(this.maxIdleMs);
    });
  }

  private async scheduleNext(): Promise<void> {
    if (!this.started) return;
    const earliest = await this.store.earliestDue();
    // Nothing waits here, but another relay on the database may queue a note, or die holding one:
    // look again after the idle time.
    if (earliest === null) {
      this.schedule(this.maxIdleMs);
      return;
    }
    const now = this.now();
    const due = Math.max(earliest, this.pausedUntil);
    this.schedule(Math.min(this.maxIdleMs, Math.max(0, due - now)));
  }

  private async attempt(op: StoredOperation): Promise<void> {
    if (op.ticketFields) return this.attemptTicketFields(op, op.ticketFields);
    const controller = new AbortController();
    this.inFlight = controller;
    const { signal } = controller;
    let step: Step = 'check';
    try {
      await this.store.beginAttempt(op.opKey, this.now());
      if (op.noteSentAt !== null) {
        const since = op.createdAt - MARKER_CLOCK_SKEW_MS;
        if (await this.writer.findNoteWithMarker(op.ticketId, noteMarker(op.opKey), { signal, since })) {
          await this.finish(op, 'found its marker on the ticket');
          return;
        }
        await this.store.setNoteSent(op.opKey, null, this.now());
      }
      step = 'upload';
      const prepared = await this.files.prepare(await this.fitComment(op), signal);
      step = 'note';
      // Committed before the request leaves: from here on a crash or an unclear answer
      // means "maybe written", and the next attempt looks before writing.
      await this.store.setNoteSent(op.opKey, this.now(), this.now());
      const html = withMarker(op.htmlBody + refusedFilesHtml(op.refusedHeading, prepared.refused), op.opKey);
      await prepared.write(html, { signal, ...(op.authorId !== null ? { authorId: op.authorId } : {}) });
      await this.finish(op, 'written');
    } catch (error) {
      // Interrupted by stop(): leave the row due, exactly as a crash would, and free for another relay.
      if (signal.aborted && !this.started) {
        await this.store.release(op.opKey).catch(() => {});
        return;
      }
      if (error instanceof LeaseLost) {
        this.logger?.warn(error.message);
        return;
      }
      await this.fail(op, step, error).catch((failure: unknown) => {
        if (failure instanceof LeaseLost) this.logger?.warn(failure.message);
        else throw failure;
      });
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  /**
   * Writing the same values again changes nothing, so an unclear try is simply repeated. A field
   * the helpdesk refuses (not a ticket field, a value it will not take) is recorded on the done
   * operation: the note is written already and the other fields go on.
   */
  private async attemptTicketFields(op: StoredOperation, values: NonNullable<StoredOperation['ticketFields']>): Promise<void> {
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      await this.store.beginAttempt(op.opKey, this.now());
      const result = this.writer.writeTicketFields
        ? await this.writer.writeTicketFields(op.ticketId, values, { signal: controller.signal })
        : { written: [], refused: [] };
      const remark = result.refused.length > 0 ? result.refused.map((r) => `${r.field}: ${r.reason}`).join('; ') : null;
      if (remark) this.logger?.warn(`write-back ${op.opKey}: ticket ${op.ticketId} refused field(s): ${remark}`);
      await this.store.markDone(op.opKey, this.now(), remark);
      this.logger?.info(`write-back ${op.opKey}: ticket ${op.ticketId} fields written: ${result.written.join(', ') || 'none mapped'}`);
      await this.emit(op.opKey);
    } catch (error) {
      if (controller.signal.aborted && !this.started) {
        await this.store.release(op.opKey).catch(() => {});
        return;
      }
      if (error instanceof LeaseLost) {
        this.logger?.warn(error.message);
        return;
      }
      await this.fail(op, 'check', error).catch((failure: unknown) => {
        if (failure instanceof LeaseLost) this.logger?.warn(failure.message);
        else throw failure;
      });
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  /**
   * Files beyond what one comment takes move to a follow-up operation of their own, so the
   * note's text never waits on (or fails with) the files; done before anything is uploaded.
   */
  private async fitComment(op: StoredOperation): Promise<StoredOperation> {
    const limits = this.writer.commentLimits;
    if (!limits || op.attachments.length === 0) return op;
    // A missing or unreadable file counts as empty here; the upload step reports it.
    const sizes = await Promise.all(op.attachments.map(async (a) => (await this.blobs.size(a.blobKey).catch(() => null)) ?? 0));
    const keep = fittingCount(sizes, limits, isFollowUpPart(op.opKey));
    return (await this.moveToFollowUp(op, keep, 'more than one comment takes')) ?? op;
  }

  /** Returns the operation as it stands after moving its files from `keep` on; null when none moved. */
  private async moveToFollowUp(op: StoredOperation, keep: number, why: string): Promise<StoredOperation | null> {
    const partKey = await this.store.split(op.opKey, keep, this.now());
    if (!partKey) return null;
    this.logger?.info(`write-back ${op.opKey}: files from number ${keep + 1} on go to ${partKey} (${why})`);
    return this.store.get(op.opKey);
  }

  private async finish(op: StoredOperation, how: string): Promise<void> {
    await this.store.markDone(op.opKey, this.now());
    this.logger?.info(`write-back ${op.opKey}: note on ticket ${op.ticketId} ${how}`);
    await this.emit(op.opKey);
  }

  private async fail(op: StoredOperation, step: Step, error: unknown): Promise<void> {
    const err =
      error instanceof HelpdeskWriteError
        ? error
        : new HelpdeskWriteError(error instanceof Error ? error.message : String(error), WriteFailure.Unavailable, { cause: error });
    const now = this.now();
    // A 429 or a refusal is a definite "not written": no need to look before the next try.
    if (step === 'note' && err.kind !== WriteFailure.Unavailable) await this.store.setNoteSent(op.opKey, null, now);

    if (step === 'note' && err.kind === WriteFailure.Rejected && isSizeOrCountRefusal(err.details.status, err.message)) {
      // The helpdesk holds a comment to less than it documents: half the files now, the rest
      // in a follow-up; a note's text goes alone at last. Not counted as a failure.
      const current = await this.store.get(op.opKey);
      const count = current?.attachments.length ?? 0;
      const keep = count > 1 ? Math.floor(count / 2) : isFollowUpPart(op.opKey) ? count : 0;
      if (current && (await this.moveToFollowUp(current, keep, err.message))) {
        await this.store.markRetry(op.opKey, now, err.message, false, now);
        await this.emit(op.opKey);
        return;
      }
    }

    if (err.kind === WriteFailure.RateLimited) {
      const wait = Math.min(
        this.maxRetryAfterMs,
        err.details.retryAfterMs ?? backoffDelay(op.transientFailures + 1, this.backoff, this.random),
      );
      this.pausedUntil = Math.max(this.pausedUntil, now + wait);
      await this.store.markRetry(op.opKey, now + wait, err.message, false, now);
      this.counters?.retries.inc();
      this.logger?.warn(`write-back ${op.opKey}: rate limited, waiting ${wait} ms`);
    } else if (err.kind === WriteFailure.Rejected) {
      await this.store.markFailed(op.opKey, err.message, false, now);
      this.counters?.failures.inc();
      this.logger?.error(`write-back ${op.opKey}: failed: ${err.message}`);
    } else {
      const failures = op.transientFailures + 1;
      if (failures >= this.maxAttempts) {
        await this.store.markFailed(op.opKey, `gave up after ${failures} failures: ${err.message}`, true, now);
        this.counters?.failures.inc();
        this.logger?.error(`write-back ${op.opKey}: gave up: ${err.message}`);
      } else {
        const backoff = backoffDelay(failures, this.backoff, this.random);
        const wait = step === 'note' ? Math.max(this.settleMs, backoff) : backoff;
        await this.store.markRetry(op.opKey, now + wait, err.message, true, now);
        this.counters?.retries.inc();
        this.logger?.warn(`write-back ${op.opKey}: ${err.message}; retry in ${wait} ms`);
      }
    }
    await this.emit(op.opKey);
  }

  private async emit(opKey: string): Promise<void> {
    if (this.listeners.size === 0) return;
    const status = await this.status(opKey);
    if (!status) return;
    for (const listener of this.listeners) {
      // A listener's failure must not turn a written note into a failed operation.
      try {
        listener(opKey, status);
      } catch (error) {
        this.logger?.error('write-back status listener failed', error);
      }
    }
  }
}

/** The list of refused files appended to the note; the heading is trusted text in the note's language. */
function refusedFilesHtml(heading: string | null, files: readonly string[]): string {
  if (files.length === 0) return '';
  const items = files.map((f) => `<li>${escapeHtml(f)}</li>`).join('');
  return `<p><strong>${escapeHtml(heading ?? 'Not attached: the helpdesk refused these files')}</strong></p><ul>${items}</ul>`;
}
