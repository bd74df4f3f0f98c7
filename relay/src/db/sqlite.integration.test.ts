import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from './repository.js';
import { migrations } from './migrations.js';
import { migrate, openSqliteStorage } from './sqlite.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-db-'));
  dirs.push(dir);
  return join(dir, 'nested', 'relay.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const session = (id: string, ticketId: number, createdAt: number): SessionRecord => ({
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
});

describe('SQLite storage', () => {
  it('migrates once, uses WAL, and survives reopening', async () => {
    const file = tempFile();
    const first = openSqliteStorage(file);
    await first.sessions.startForTicket(session('s1', 1, 1));
    first.close();
    const second = openSqliteStorage(file);
    expect((await second.sessions.findById('s1'))?.ticketId).toBe(1);
    second.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    raw.close();
  });

  it("a database from before the agent's locale and the requester's email keeps its sessions, which read as unknown", async () => {
    const file = tempFile();
    mkdirSync(join(file, '..'), { recursive: true });
    const old = new Database(file);
    migrate(
      old,
      migrations.filter((m) => m.version === 1),
    );
    old
      .prepare(
        `INSERT INTO sessions (id, account, ticket_id, status, invite_token_hash, expires_at, created_at, agent_id, agent_name)
        VALUES ('old', 'acme.zendesk.com', 5, 'active', 'h', 9, 1, '42', 'Ada')`,
      )
      .run();
    old.close();
    const storage = openSqliteStorage(file);
    expect(await storage.sessions.findById('old')).toMatchObject({ agentName: 'Ada', agentLocale: null, requesterEmail: null });
    await storage.sessions.startForTicket({ ...session('new', 6, 2), agentLocale: 'bg', requesterEmail: '  Maria@Example.COM ' });
    expect(await storage.sessions.findById('new')).toMatchObject({ agentLocale: 'bg', requesterEmail: 'maria@example.com' });
    storage.close();
  });

  it('a database from before the consent text keeps its consents, which read with no text, and records the text from then on', async () => {
    const file = tempFile();
    mkdirSync(join(file, '..'), { recursive: true });
    const old = new Database(file);
    migrate(old);
    old.exec(`CREATE TABLE journey_consents (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      policy_version TEXT NOT NULL, locale TEXT NOT NULL, user_agent TEXT, consented_at INTEGER NOT NULL)`);
    old
      .prepare(
        `INSERT INTO sessions (id, account, ticket_id, status, invite_token_hash, expires_at, created_at, agent_id, agent_name)
      VALUES ('old', 'acme.zendesk.com', 5, 'active', 'h', 9, 1, '42', 'Ada')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO journey_consents (session_id, policy_version, locale, user_agent, consented_at) VALUES ('old', '2023-06', 'de', NULL, 2)`,
      )
      .run();
    old.close();
    const storage = openSqliteStorage(file);
    await storage.journey.recordConsent({
      sessionId: 'old',
      policyVersion: '2024-01',
      locale: 'de',
      consentText: 'Ich akzeptiere',
      userAgent: null,
      consentedAt: 3,
    });
    expect((await storage.journey.consents('old')).map((c) => [c.policyVersion, c.consentText])).toEqual([
      ['2023-06', null],
      ['2024-01', 'Ich akzeptiere'],
    ]);
    storage.close();
  });

  it('starting a session ends the earlier active session of the same ticket only', async () => {
    const s = openSqliteStorage(tempFile());
    await s.sessions.startForTicket(session('a', 1, 1));
    await s.sessions.startForTicket(session('other', 2, 2));
    const { endedSessionIds } = await s.sessions.startForTicket(session('b', 1, 3));
    expect(endedSessionIds).toEqual(['a']);
    expect((await s.sessions.findById('a'))?.status).toBe('ended');
    expect((await s.sessions.findById('other'))?.status).toBe('active');
    expect((await s.sessions.findLatestForTicket('acme.zendesk.com', 1))?.id).toBe('b');
    expect(await s.sessions.findLatestForTicket('other.zendesk.com', 1)).toBeNull();
    s.close();
  });

  it('keeps one customer token after revokeOthers and records consent', async () => {
    const s = openSqliteStorage(tempFile());
    await s.sessions.startForTicket(session('a', 1, 1));
    for (const h of ['c1', 'c2'])
      await s.participants.add({ tokenHash: h, sessionId: 'a', role: 'customer', createdAt: 1, expiresAt: null });
    await s.participants.add({ tokenHash: 'sp', sessionId: 'a', role: 'specialist', createdAt: 1, expiresAt: 5 });
    await s.participants.revokeOthers('a', 'customer', 'c2');
    expect(await s.participants.findByHash('c1')).toBeNull();
    expect((await s.participants.findByHash('c2'))?.role).toBe('customer');
    expect((await s.participants.findByHash('sp'))?.expiresAt).toBe(5);
    await s.participants.recordConsent('c2', { policyVersion: '2024-01', locale: 'de', consentedAt: 9 });
    expect(await s.participants.findConsent('c2')).toEqual({ policyVersion: '2024-01', locale: 'de', consentedAt: 9 });
    s.close();
  });
});
