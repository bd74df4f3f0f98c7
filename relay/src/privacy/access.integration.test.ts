import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipEntries } from './test-support/read-zip.js';
import { openSqliteStorage, type SqliteStorage } from '../db/sqlite.js';
import { runPrivacyCli } from './cli.js';
import { personalRows, seedCall } from './test-support/seed.js';

const T0 = Date.UTC(2026, 1, 3, 10, 0, 0);

let dataDir: string;
let storage: SqliteStorage;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'privacy-access-'));
  storage = openSqliteStorage(join(dataDir, 'relay.sqlite'));
});

afterEach(() => {
  storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runPrivacyCli(args, { DATA_DIR: dataDir }, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

/** Every row of every table that names the session, by table (empty once erased). */
function rowsNaming(sessionId: string): string[] {
  const tables = (storage.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
  const hits: string[] = [];
  for (const table of tables) {
    if (table === 'audit_log') continue;
    const rows = storage.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
    for (const row of rows) if (JSON.stringify(row).includes(sessionId)) hits.push(table);
  }
  return hits;
}

describe('npm run privacy -- export / erase (SQLite and disk)', () => {
  it('exports both calls of a ticket into one zip, then erases both (the live one too) and audits both actions', async () => {
    const first = await seedCall(storage, dataDir, { ticketId: 1201, at: T0, state: 'note-done' });
    const second = await seedCall(storage, dataDir, { ticketId: 1201, at: T0 + 3600_000, state: 'live' });
    const other = await seedCall(storage, dataDir, { ticketId: 1299, at: T0, state: 'note-done' });
    const out = join(dataDir, 'out.zip');

    const exported = await cli('export', '--ticket', '1201', '--out', out, '--by', 'dpo@wilo.example');
    expect(exported).toEqual({ code: 0, output: expect.stringContaining('2 session(s), 13 file(s)') });
    const zip = zipEntries(readFileSync(out));
    const json = JSON.parse(zip.get('export.json')!.toString('utf8')) as {
      ticketId: number;
      sessions: { sessionId: string; chat: { text: string }[]; uploads: { purpose: string; original: string; preview: string }[]; location: { latitude: number }; consents: { policyVersion: string; locale: string }[] }[];
    };
    expect(json.ticketId).toBe(1201);
    expect(json.sessions.map((s) => s.sessionId)).toEqual([first.sessionId, second.sessionId]);
    for (const s of json.sessions) {
      expect(s.chat.map((m) => m.text)).toEqual(['The pump on ticket 1201 hums']);
      expect(s.location.latitude).toBe(42.6977);
      expect(s.consents).toEqual([expect.objectContaining({ policyVersion: '2024-01', locale: 'bg' })]);
      expect(s.uploads.map((u) => u.purpose)).toEqual(['photo', 'still', 'snapshot']);
      // Every listed file is in the zip with the bytes on disk: a JPEG.
      for (const u of s.uploads) {
        expect(zip.get(u.original)?.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
        expect(zip.has(u.preview)).toBe(true);
      }
    }
    expect(zip.get(`${first.sessionId}/writeback/chat.txt`)?.toString()).toBe('Carla: The pump hums');
    expect([...zip.keys()].some((name) => name.includes(other.sessionId))).toBe(false);

    const erased = await cli('erase', '--ticket', '1201', '--by', 'dpo@wilo.example');
    expect(erased).toEqual({ code: 0, output: expect.stringContaining('2 session(s) erased, 1 of them live') });
    for (const c of [first, second]) {
      expect(rowsNaming(c.sessionId)).toEqual([]);
      expect(existsSync(join(dataDir, 'uploads', c.sessionId))).toBe(false);
      expect(existsSync(join(dataDir, 'writeback', c.sessionId))).toBe(false);
    }
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([other.sessionId]);
    expect(personalRows(storage, other.sessionId)).toMatchObject({ uploads: 3, chat: 1, locations: 1 });

    const audit = await storage.privacy!.auditForTicket(1201);
    expect(audit.map((e) => [e.action, e.actorKind, e.actorId, e.sessionId])).toEqual([
      ['export', 'admin', 'dpo@wilo.example', null],
      ['erase', 'admin', 'dpo@wilo.example', first.sessionId],
      ['erase', 'admin', 'dpo@wilo.example', second.sessionId],
    ]);
    // An export after the erasure finds nothing left.
    const after = await cli('export', '--ticket', '1201', '--out', out);
    expect(after.output).toContain('0 session(s), 0 file(s)');
  });

  it('refuses --email with the reason, and a missing ticket with the usage', async () => {
    const byEmail = await cli('export', '--email', 'carla@example.com');
    expect(byEmail.code).toBe(2);
    expect(byEmail.output).toContain('the relay keeps no requester email');
    const noTicket = await cli('erase');
    expect(noTicket.code).toBe(2);
    expect(noTicket.output).toContain('--ticket must be a ticket number');
  });
});
