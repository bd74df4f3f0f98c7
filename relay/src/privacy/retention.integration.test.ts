import { describe, expect, it } from 'vitest';
import { blobStoreFor, type BlobStore } from '../blobs/index.js';
import type { Storage } from '../db/repository.js';
import { openStorage } from '../db/storage.js';
import { ENGINES, rows, run, type TestDatabase } from '../testing/db.js';
import { withStorageInDataDir } from '../testing/suite.js';
import { DAY_MS, RetentionSweeper, sweepRetention, type RetentionPolicy, type Scheduler } from './retention.js';
import { personalRows, seedCall, sessionFiles, SEED_CONSENT_TEXT, type SeededCall } from '../testing/privacy-seed.js';

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);
const DEFAULTS: RetentionPolicy = { retentionDays: 30, consentRetentionDays: 3 * 365 };

describe.each(ENGINES)('retention sweep (%s, injected clock)', (engine) => {
  let dataDir: string;
  // Where the relay keeps files on this engine: DATA_DIR on SQLite, the database on PostgreSQL.
  let blobs: BlobStore;
  let db: TestDatabase;
  let storage: Storage;

  // A file on disk (SQLite) or a schema of its own (PostgreSQL), so a second relay can open it too.
  withStorageInDataDir(engine, 'privacy-retention-', (s) => ({ dataDir, db, storage, blobs } = s));

  const files = async (sessionId: string): Promise<string[]> => (await sessionFiles(blobs, sessionId)).uploads;

  /** `s`: another relay's connection, with its own blob store over it. */
  function sweep(at: number, policy: RetentionPolicy = DEFAULTS, s: Storage = storage) {
    return sweepRetention({ repo: s.privacy!, blobs: blobStoreFor(s.database, dataDir), policy, now: () => at });
  }

  it('after RETENTION_DAYS deletes a finished call’s files and rows, keeps its consent record, and leaves live and note-pending calls alone', async () => {
    const done = await seedCall(storage, blobs, { ticketId: 1201, at: T0, state: 'note-done' });
    const live = await seedCall(storage, blobs, { ticketId: 1202, at: T0, state: 'live' });
    const pending = await seedCall(storage, blobs, { ticketId: 1203, at: T0, state: 'note-pending' });
    expect(await files(done.sessionId)).toHaveLength(6);
    const noteWrittenAt = T0 + 61_000;

    // A day short of the retention period: nothing goes.
    expect((await sweep(noteWrittenAt + 29 * DAY_MS)).purged).toEqual([]);
    expect(await files(done.sessionId)).toHaveLength(6);

    const result = await sweep(noteWrittenAt + 30 * DAY_MS);
    expect(result.purged).toEqual([done.sessionId]);
    expect(await sessionFiles(blobs, done.sessionId)).toEqual({ uploads: [], writeback: [] });
    expect(await personalRows(storage, done.sessionId)).toEqual({
      uploads: 0,
      chat: 0,
      locations: 0,
      marks: 0,
      tokens: 0,
      texts: 0,
      noteFiles: 0,
      noteText: 0,
    });
    // The minimal record: session, ticket, times, note state and the consent with version and language.
    const session = await storage.sessions.findById(done.sessionId);
    expect(session).toMatchObject({ ticketId: 1201, status: 'ended', createdAt: T0, endedAt: T0 + 60_000 });
    expect(await storage.journey.consents(done.sessionId)).toEqual([
      {
        sessionId: done.sessionId,
        policyVersion: '2024-01',
        locale: 'bg',
        consentText: SEED_CONSENT_TEXT,
        userAgent: null,
        consentedAt: T0 + 1000,
      },
    ]);
    expect(await rows(storage.database, 'SELECT status FROM writeback_ops WHERE op_key = ?', `call-note:${done.sessionId}`)).toEqual([
      { status: 'done' },
    ]);

    for (const untouched of [live, pending]) {
      expect(await files(untouched.sessionId)).toHaveLength(6);
      expect(await personalRows(storage, untouched.sessionId)).toEqual({
        uploads: 3,
        chat: 1,
        locations: 1,
        marks: 1,
        tokens: 2,
        texts: 1,
        noteFiles: untouched === live ? 0 : 1,
        noteText: untouched === live ? 0 : 1,
      });
    }

    // Idempotent: a second pass finds nothing to do.
    expect((await sweep(noteWrittenAt + 31 * DAY_MS)).purged).toEqual([]);
  });

  it('two relays sweeping the same database at once delete each session once', async () => {
    // One after another: seeding a written note claims whichever note is due (see seedCall).
    const calls: SeededCall[] = [];
    for (const n of [1, 2, 3]) calls.push(await seedCall(storage, blobs, { ticketId: 1300 + n, at: T0, state: 'note-done' }));
    const second = await openStorage(db.target);
    try {
      const at = T0 + 31 * DAY_MS;
      const [a, b] = await Promise.all([sweep(at), sweep(at, DEFAULTS, second)]);
      expect([...a.purged, ...b.purged].sort()).toEqual(calls.map((c) => c.sessionId).sort());
      for (const c of calls) expect((await personalRows(storage, c.sessionId)).chat).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('after CONSENT_RETENTION_DAYS the minimal record goes too, and so do old audit entries', async () => {
    const done = await seedCall(storage, blobs, { ticketId: 1401, at: T0, state: 'note-done' });
    await storage.privacy!.appendAudit({
      at: T0,
      actorKind: 'agent',
      actorId: '9001',
      action: 'session-started',
      account: 'acme.zendesk.com',
      ticketId: 1401,
      sessionId: done.sessionId,
      detail: null,
    });
    await sweep(T0 + 31 * DAY_MS);
    expect(await storage.sessions.findById(done.sessionId)).not.toBeNull();

    const result = await sweep(T0 + 3 * 365 * DAY_MS + DAY_MS);
    expect(result.expired).toEqual([done.sessionId]);
    expect(await storage.sessions.findById(done.sessionId)).toBeNull();
    expect(await storage.journey.consents(done.sessionId)).toEqual([]);
    expect(await rows(storage.database, 'SELECT COUNT(*) AS n FROM writeback_ops')).toEqual([{ n: 0 }]);
    expect((await storage.privacy!.auditForTicket(1401)).map((e) => e.action)).toEqual([]);
  });

  it('RETENTION_DAYS=0 deletes personal data at the first sweep after the note is written, not before', async () => {
    const pending = await seedCall(storage, blobs, { ticketId: 1501, at: T0, state: 'note-pending' });
    const zero = { retentionDays: 0, consentRetentionDays: DEFAULTS.consentRetentionDays };
    expect((await sweep(T0 + 120_000, zero)).purged).toEqual([]);
    await run(
      storage.database,
      `UPDATE writeback_ops SET status = 'done', done_at = ? WHERE op_key = ?`,
      T0 + 130_000,
      `call-note:${pending.sessionId}`,
    );
    expect((await sweep(T0 + 130_000, zero)).purged).toEqual([pending.sessionId]);
    expect(await files(pending.sessionId)).toEqual([]);
  });

  it('the sweeper started by the app runs at start and on every tick of its timer', async () => {
    const done = await seedCall(storage, blobs, { ticketId: 1601, at: T0, state: 'note-done' });
    let tick: (() => void) | null = null;
    const scheduler: Scheduler = { setInterval: (fn) => (tick = fn), clearInterval: () => (tick = null) };
    let now = T0 + DAY_MS;
    const sweeper = new RetentionSweeper({
      repo: storage.privacy!,
      blobs,
      policy: DEFAULTS,
      now: () => now,
      intervalMs: 60_000,
      scheduler,
    });
    sweeper.start();
    expect((await sweeper.runOnce()).purged).toEqual([]);
    now = T0 + 31 * DAY_MS;
    tick!();
    await expect.poll(async () => (await personalRows(storage, done.sessionId)).chat).toBe(0);
    await sweeper.stop();
    expect(tick).toBeNull();
  });
});
