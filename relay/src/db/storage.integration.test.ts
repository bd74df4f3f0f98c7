import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, rows, testDatabase, type TestDatabase } from '../testing/db.js';
import { Engine, openDatabase } from './database.js';
import { migrate, SchemaError, type SchemaOwner } from './migrate.js';
import type { SessionRecord, Storage } from './repository.js';
import { openStorage, SCHEMAS } from './storage.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-db-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fresh(engine: Engine): Promise<TestDatabase> {
  const db = await testDatabase(engine, join(tempDir(), 'nested', 'relay.sqlite'));
  cleanups.push(() => db.drop());
  return db;
}

async function storageOf(engine: Engine): Promise<Storage> {
  const storage = await openStorage((await fresh(engine)).target);
  cleanups.push(() => storage.close());
  return storage;
}

const session = (id: string, ticketId: number, createdAt: number, over: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  account: 'acme.zendesk.com',
  ticketId,
  status: 'active',
  inviteTokenHash: `hash-${id}`,
  expiresAt: createdAt + 1000,
  createdAt,
  endedAt: null,
  endReason: null,
  agentId: '42',
  agentName: 'Ada',
  agentLocale: 'en-US',
  requesterEmail: null,
  ...over,
});

// The same contract on both engines: what the relay relies on must not depend on where it is kept.
describe.each(ENGINES)('storage on %s', (engine) => {
  it('migrates once and keeps rows across reopening', async () => {
    const db = await fresh(engine);
    const first = await openStorage(db.target);
    await first.sessions.startForTicket(session('s1', 1, 1_700_000_000_000));
    await first.close();
    const second = await openStorage(db.target);
    cleanups.push(() => second.close());
    expect(await second.sessions.findById('s1')).toMatchObject({ ticketId: 1, createdAt: 1_700_000_000_000 });
    const history = await rows<{ capability: string; version: number }>(
      second.database,
      'SELECT capability, version FROM schema_versions ORDER BY capability, version',
    );
    expect(history.map((h) => `${h.capability}@${h.version}`)).toEqual([
      'annotations@1',
      'blobs@1',
      'chat@1',
      'delivery@1',
      'journey@1',
      'nameplate@1',
      'nameplate@2',
      'privacy@1',
      'sessions@1',
      'sessions@2',
      'uploads@1',
      'writeback@1',
      'writeback@2',
      'writeback@3',
    ]);
  });

  // SQLite serves one relay process (its driver waits synchronously, so two connections in one
  // process would wait on each other); several relays share PostgreSQL.
  it.runIf(engine === Engine.postgres)('applies a migration once when two relays start on one database together', async () => {
    const db = await fresh(engine);
    const a = openDatabase(db.target);
    const b = openDatabase(db.target);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await Promise.all([migrate(a, SCHEMAS), migrate(b, SCHEMAS)]);
    const counted = await rows<{ n: number }>(a, 'SELECT COUNT(*) AS n FROM schema_versions');
    expect(counted[0]?.n).toBe(SCHEMAS.reduce((n, owner) => n + owner.migrations.length, 0));
  });

  it('a later migration of a capability runs on a database that has the earlier ones', async () => {
    const db = await fresh(engine);
    const database = openDatabase(db.target);
    cleanups.push(() => database.close());
    const v1: SchemaOwner = {
      name: 'gauges',
      migrations: [{ version: 1, name: 'gauges', sql: 'CREATE TABLE gauges (id TEXT PRIMARY KEY)' }],
    };
    await migrate(database, [v1]);
    await rows(database, 'INSERT INTO gauges (id) VALUES (?) RETURNING id', 'g1');
    const v2: SchemaOwner = {
      name: 'gauges',
      migrations: [...v1.migrations, { version: 2, name: 'bar', sql: 'ALTER TABLE gauges ADD COLUMN bar BIGINT DEFAULT 3' }],
    };
    await migrate(database, [v2]);
    expect(await rows(database, 'SELECT id, bar FROM gauges')).toEqual([{ id: 'g1', bar: 3 }]);
  });

  it('refuses a capability that references one nobody owns, and a dependency cycle', async () => {
    const database = openDatabase((await fresh(engine)).target);
    cleanups.push(() => database.close());
    await expect(migrate(database, [{ name: 'a', after: ['ghost'], migrations: [] }])).rejects.toThrow(/"ghost", which no capability owns/);
    await expect(
      migrate(database, [
        { name: 'a', after: ['b'], migrations: [] },
        { name: 'b', after: ['a'], migrations: [] },
      ]),
    ).rejects.toThrow(SchemaError);
  });

  it('starting a session ends the earlier active session of the same ticket only', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('a', 1, 1));
    await s.sessions.startForTicket(session('other', 2, 2));
    const { endedSessionIds } = await s.sessions.startForTicket(session('b', 1, 3));
    expect(endedSessionIds).toEqual(['a']);
    expect(await s.sessions.findById('a')).toMatchObject({ status: 'ended', endReason: 'replaced', endedAt: 3 });
    expect((await s.sessions.findById('other'))?.status).toBe('active');
    expect((await s.sessions.findLatestForTicket('acme.zendesk.com', 1))?.id).toBe('b');
    expect(await s.sessions.findLatestForTicket('other.zendesk.com', 1)).toBeNull();
  });

  it("keeps the requester's email trimmed and lower-cased", async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('m', 6, 2, { agentLocale: 'bg', requesterEmail: '  Maria@Example.COM ' }));
    expect(await s.sessions.findById('m')).toMatchObject({ agentLocale: 'bg', requesterEmail: 'maria@example.com' });
  });

  it('ends each expired session once, at its expiry, even when two relays sweep together', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('old', 1, 1, { expiresAt: 50 }));
    await s.sessions.startForTicket(session('new', 2, 2, { expiresAt: 500 }));
    const [a, b] = await Promise.all([s.sessions.endExpired(100), s.sessions.endExpired(100)]);
    expect([...a, ...b].map((r) => [r.id, r.endedAt, r.endReason])).toEqual([['old', 50, 'expired']]);
    expect((await s.sessions.findById('new'))?.status).toBe('active');
  });

  it('a takeover moves the seat and is in the audit trail with observers, in order', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('t', 1, 1));
    const after = await s.sessions.takeOver('t', { agentId: '7', agentName: 'Boris', agentLocale: 'bg' }, 10);
    expect(after).toMatchObject({ agentId: '7', agentName: 'Boris', agentLocale: 'bg' });
    await s.sessions.recordObserverAudit({
      sessionId: 't',
      at: 10,
      kind: 'observer-joined',
      fromAgentId: '7',
      fromAgentName: 'Boris',
      toAgentId: '8',
      toAgentName: 'Vera',
    });
    expect((await s.sessions.auditTrail('t')).map((e) => `${e.kind}:${e.fromAgentName}->${e.toAgentName}`)).toEqual([
      'takeover:Ada->Boris',
      'observer-joined:Boris->Vera',
    ]);
    await s.sessions.end('t', 20, 'ended-by-specialist');
    expect(await s.sessions.takeOver('t', { agentId: '9', agentName: 'Ivo', agentLocale: null }, 30)).toBeNull();
  });

  it('keeps one customer token after revokeOthers, records consent, and ignores a token added twice', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('a', 1, 1));
    for (const h of ['c1', 'c2', 'c2'])
      await s.participants.add({ tokenHash: h, sessionId: 'a', role: 'customer', createdAt: 1, expiresAt: null });
    await s.participants.add({ tokenHash: 'sp', sessionId: 'a', role: 'specialist', createdAt: 1, expiresAt: 5 });
    await s.participants.revokeOthers('a', 'customer', 'c2');
    expect(await s.participants.findByHash('c1')).toBeNull();
    expect((await s.participants.findByHash('c2'))?.role).toBe('customer');
    expect((await s.participants.findByHash('sp'))?.expiresAt).toBe(5);
    await s.participants.recordConsent('c2', { policyVersion: '2024-01', locale: 'de', consentedAt: 9 });
    expect(await s.participants.findConsent('c2')).toEqual({ policyVersion: '2024-01', locale: 'de', consentedAt: 9 });
    await s.sessions.addObserverToken({ tokenHash: 'o1', sessionId: 'a', agentId: '8', agentName: 'Vera', createdAt: 1, expiresAt: 99 });
    await s.sessions.addObserverToken({ tokenHash: 'o1', sessionId: 'a', agentId: '8', agentName: 'Vera', createdAt: 2, expiresAt: 99 });
    expect(await s.sessions.findObserverToken('o1')).toMatchObject({ agentName: 'Vera', createdAt: 1 });
  });

  it('deletes expired agent sessions and says how many', async () => {
    const s = await storageOf(engine);
    const agent = { account: 'acme.zendesk.com', agentId: '1', agentName: 'Ada', agentEmail: null, agentLocale: null, createdAt: 1 };
    await s.agentSessions.create({ ...agent, id: 'x', tokenHash: 'hx', expiresAt: 10 });
    await s.agentSessions.create({ ...agent, id: 'y', tokenHash: 'hy', expiresAt: 100 });
    expect(await s.agentSessions.deleteExpired(50)).toBe(1);
    expect(await s.agentSessions.findByHash('hx')).toBeNull();
    expect((await s.agentSessions.findByHash('hy'))?.id).toBe('y');
  });

  it('numbers chat messages without gaps under concurrent appends, and a resend is the same message', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('c', 1, 1));
    const message = (i: number) => ({
      id: `m${i}`,
      sessionId: 'c',
      clientId: `k${i}`,
      from: 'customer' as const,
      senderName: 'Carla',
      text: `Помпата бучи ${i}`,
      replyToId: null,
      attachmentIds: i === 0 ? ['u1'] : [],
      createdAt: 100 + i,
    });
    // Concurrent appends on one pool: on PostgreSQL each runs on its own connection, as two relays' would.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.chat.append(message(i))));
    const seqs = results.map((r) => ('record' in r ? r.record.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const again = await s.chat.append(message(3));
    expect(again).toMatchObject({ duplicate: true, record: { id: 'm3' } });
    const listed = await s.chat.listAfter('c', 10, 50);
    expect(listed.map((m) => m.seq)).toEqual([11, 12]);
    expect((await s.chat.findById('c', 'm0'))?.attachmentIds).toEqual(['u1']);
  });

  it('refuses a chat message over the quota by count and by UTF-8 bytes', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('q', 1, 1));
    const m = (id: string, text: string) => ({
      id,
      sessionId: 'q',
      clientId: id,
      from: 'specialist' as const,
      senderName: 'Ada',
      text,
      replyToId: null,
      attachmentIds: [],
      createdAt: 5,
    });
    expect(await s.chat.append(m('a', 'ж'.repeat(4)), { messages: 5, bytes: 10 })).toMatchObject({ duplicate: false });
    expect(await s.chat.append(m('b', 'жж'), { messages: 5, bytes: 10 })).toEqual({ overQuota: true });
    expect(await s.chat.append(m('c', 'x'), { messages: 1, bytes: 100 })).toEqual({ overQuota: true });
  });

  it('keeps consents in order with their words, and the latest location answer with full precision', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('j', 1, 1));
    await s.journey.recordConsent({
      sessionId: 'j',
      policyVersion: '1',
      locale: 'bg',
      consentText: 'Приемам',
      userAgent: 'x'.repeat(600),
      consentedAt: 5,
    });
    await s.journey.recordConsent({ sessionId: 'j', policyVersion: '1', locale: 'bg', consentText: null, userAgent: null, consentedAt: 5 });
    const consents = await s.journey.consents('j');
    expect(consents.map((c) => [c.consentText, c.userAgent?.length ?? null])).toEqual([
      ['Приемам', 512],
      [null, null],
    ]);
    await s.journey.recordLocation('j', { outcome: 'denied' }, 6);
    await s.journey.recordLocation('j', { outcome: 'shared', latitude: 42.697708, longitude: 23.321868, accuracy: 12.5, capturedAt: 7 }, 8);
    expect(await s.journey.findLocation('j')).toEqual({
      outcome: 'shared',
      latitude: 42.697708,
      longitude: 23.321868,
      accuracy: 12.5,
      capturedAt: 7,
      recordedAt: 8,
    });
  });

  it('lists uploads in the order they were stored, also within one millisecond', async () => {
    const s = await storageOf(engine);
    await s.sessions.startForTicket(session('u', 1, 1));
    for (const id of ['z', 'a', 'm']) {
      await s.uploads.add({
        id,
        sessionId: 'u',
        purpose: 'photo',
        uploaderRole: 'customer',
        contentType: 'image/jpeg',
        bytes: 3_000_000_000,
        width: 4032,
        height: 3024,
        originalFile: `${id}.jpg`,
        previewFile: `${id}.preview.jpg`,
        createdAt: 9,
      });
    }
    expect((await s.uploads.listForSession('u')).map((u) => u.id)).toEqual(['z', 'a', 'm']);
    expect((await s.uploads.findById('a'))?.bytes).toBe(3_000_000_000);
  });

  it('saves and replaces the annotation state', async () => {
    const s = await storageOf(engine);
    expect(await s.annotations.load('n')).toBeNull();
    await s.annotations.save('n', { marks: [], freeze: null, snapshots: [] });
    await s.annotations.save('n', { marks: [], freeze: null, snapshots: [] });
    expect(await s.annotations.load('n')).toEqual({ marks: [], freeze: null, snapshots: [] });
  });
});

describe('SQLite file', () => {
  it('uses WAL and creates its folder', async () => {
    const file = join(tempDir(), 'deep', 'er', 'relay.sqlite');
    const storage = await openStorage({ engine: Engine.sqlite, file });
    await storage.close();
    const raw = new BetterSqlite(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a file written before per-capability migrations, with what to do', async () => {
    const file = join(tempDir(), 'old.sqlite');
    const raw = new BetterSqlite(file);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
    raw.close();
    await expect(openStorage({ engine: Engine.sqlite, file })).rejects.toThrow(/from before per-capability migrations.*privacy tool/);
  });
});
