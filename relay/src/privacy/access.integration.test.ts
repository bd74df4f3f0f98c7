import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../blobs/index.js';
import type { Storage } from '../db/repository.js';
import { withStorageInDataDir } from '../testing/suite.js';
import { databaseUrl, ENGINES, rows, tableNames, type TestDatabase } from '../testing/db.js';
import { zipEntries } from '../testing/read-zip.js';
import { runPrivacyCli } from './cli.js';
import { personalRows, seedCall, sessionFiles, SEED_CONSENT_TEXT } from '../testing/privacy-seed.js';

const T0 = Date.UTC(2026, 1, 3, 10, 0, 0);

describe.each(ENGINES)('npm run privacy -- export / erase (%s and its files)', (engine) => {
  let dataDir: string;
  // Where the relay (and so the CLI) keeps files on this engine: DATA_DIR on SQLite, the database on PostgreSQL.
  let blobs: BlobStore;
  let db: TestDatabase;
  let storage: Storage;

  // The CLI opens the same database: the SQLite file in DATA_DIR, or the schema named in DATABASE_URL.
  withStorageInDataDir(engine, 'privacy-access-', (s) => ({ dataDir, db, storage, blobs } = s));

  async function cli(...args: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const url = databaseUrl(db.target);
    const code = await runPrivacyCli(args, { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) }, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  /** Sessions with files in the uploads area. */
  const sessionsWithUploads = async (...ids: string[]): Promise<string[]> => {
    const held = [];
    for (const id of ids) if ((await sessionFiles(blobs, id)).uploads.length > 0) held.push(id);
    return held.sort();
  };

  /** Every row of every table that names the session, by table (empty once erased). */
  async function rowsNaming(sessionId: string): Promise<string[]> {
    const tables = await tableNames(storage.database);
    // The scan sees every capability's tables, or an empty answer would prove nothing.
    expect(tables).toEqual(expect.arrayContaining(['sessions', 'chat_messages', 'uploads', 'writeback_ops', 'journey_locations']));
    const hits: string[] = [];
    for (const table of tables) {
      if (table === 'audit_log') continue;
      for (const row of await rows(storage.database, `SELECT * FROM "${table}"`))
        if (JSON.stringify(row).includes(sessionId)) hits.push(table);
    }
    return hits;
  }

  it('exports both calls of a ticket into one zip, then erases both (the live one too) and audits both actions', async () => {
    const first = await seedCall(storage, blobs, { ticketId: 1201, at: T0, state: 'note-done' });
    const second = await seedCall(storage, blobs, { ticketId: 1201, at: T0 + 3600_000, state: 'live' });
    const other = await seedCall(storage, blobs, { ticketId: 1299, at: T0, state: 'note-done' });
    const out = join(dataDir, 'out.zip');

    const exported = await cli('export', '--ticket', '1201', '--out', out, '--by', 'dpo@wilo.example');
    expect(exported).toEqual({ code: 0, output: expect.stringContaining('2 session(s), 13 file(s)') });
    const zip = zipEntries(readFileSync(out));
    const json = JSON.parse(zip.get('export.json')!.toString('utf8')) as {
      ticketId: number;
      sessions: {
        sessionId: string;
        chat: { text: string }[];
        uploads: { purpose: string; original: string; preview: string }[];
        location: { latitude: number };
        consents: { policyVersion: string; locale: string }[];
        inviteTexts: { to: string; status: string }[];
      }[];
    };
    expect(json.ticketId).toBe(1201);
    expect(json.sessions.map((s) => s.sessionId)).toEqual([first.sessionId, second.sessionId]);
    for (const s of json.sessions) {
      expect(s.chat.map((m) => m.text)).toEqual(['The pump on ticket 1201 hums']);
      expect(s.location.latitude).toBe(42.6977);
      expect(s.consents).toEqual([expect.objectContaining({ policyVersion: '2024-01', locale: 'bg', consentText: SEED_CONSENT_TEXT })]);
      expect(s.uploads.map((u) => u.purpose)).toEqual(['photo', 'still', 'snapshot']);
      expect(s.inviteTexts).toEqual([expect.objectContaining({ to: '+359 ••• ••• 456', status: 'delivered' })]);
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
      expect(await rowsNaming(c.sessionId)).toEqual([]);
      expect(await sessionFiles(blobs, c.sessionId)).toEqual({ uploads: [], writeback: [] });
    }
    expect(await sessionsWithUploads(first.sessionId, second.sessionId, other.sessionId)).toEqual([other.sessionId]);
    expect(await personalRows(storage, other.sessionId)).toMatchObject({ uploads: 3, chat: 1, locations: 1 });

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

  it('exports by requester email every call of theirs across two tickets, then erases them all, with the lookup in the audit log', async () => {
    const maria = 'Maria.Petrova@Example.com';
    const first = await seedCall(storage, blobs, { ticketId: 1201, at: T0, state: 'note-done', requesterEmail: maria });
    const second = await seedCall(storage, blobs, { ticketId: 1305, at: T0 + 86_400_000, state: 'live', requesterEmail: maria });
    // Someone else on the same ticket (its requester changed), and a near-miss address.
    const colleague = await seedCall(storage, blobs, {
      ticketId: 1201,
      at: T0 + 3600_000,
      state: 'note-done',
      requesterEmail: 'ivan@example.com',
    });
    const lookalike = await seedCall(storage, blobs, {
      ticketId: 1400,
      at: T0,
      state: 'note-done',
      requesterEmail: 'maria.petrova@example.com.bg',
    });
    for (const c of [first, colleague]) {
      await storage.privacy!.appendAudit({
        at: T0,
        actorKind: 'agent',
        actorId: '9001',
        action: 'session-started',
        account: 'acme.zendesk.com',
        ticketId: 1201,
        sessionId: c.sessionId,
        detail: null,
      });
    }
    const out = join(dataDir, 'maria.zip');

    // Exact after trimming, any case.
    const exported = await cli('export', '--email', '  maria.petrova@EXAMPLE.com ', '--out', out, '--by', 'dpo@wilo.example');
    expect(exported).toEqual({ code: 0, output: expect.stringContaining('Requester maria.petrova@example.com: 2 session(s), 13 file(s)') });
    const zip = zipEntries(readFileSync(out));
    const json = JSON.parse(zip.get('export.json')!.toString('utf8')) as {
      requesterEmail: string;
      auditLog: { sessionId: string | null; action: string }[];
      sessions: {
        sessionId: string;
        ticketId: number;
        requesterEmail: string;
        chat: { text: string }[];
        uploads: { original: string }[];
      }[];
    };
    expect(json.requesterEmail).toBe('maria.petrova@example.com');
    // Her calls' history, not that of the other requester's call on ticket 1201.
    expect(json.auditLog.map((e) => [e.action, e.sessionId])).toEqual([['session-started', first.sessionId]]);
    expect(json.sessions.map((s) => [s.sessionId, s.ticketId, s.requesterEmail])).toEqual([
      [first.sessionId, 1201, 'maria.petrova@example.com'],
      [second.sessionId, 1305, 'maria.petrova@example.com'],
    ]);
    expect(json.sessions.map((s) => s.chat[0]?.text)).toEqual(['The pump on ticket 1201 hums', 'The pump on ticket 1305 hums']);
    for (const s of json.sessions)
      for (const u of s.uploads) expect(zip.get(u.original)?.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect([...zip.keys()].some((name) => name.includes(colleague.sessionId) || name.includes(lookalike.sessionId))).toBe(false);

    const erased = await cli('erase', '--email', 'MARIA.PETROVA@example.com', '--by', 'dpo@wilo.example');
    expect(erased).toEqual({ code: 0, output: expect.stringContaining('2 session(s) erased, 1 of them live') });
    for (const c of [first, second]) {
      expect(await rowsNaming(c.sessionId)).toEqual([]);
      expect(await sessionFiles(blobs, c.sessionId)).toEqual({ uploads: [], writeback: [] });
    }
    // No session is filed under her address any more, and the others' calls are whole.
    expect(await rows(storage.database, 'SELECT id FROM sessions WHERE requester_email = ?', 'maria.petrova@example.com')).toEqual([]);
    expect(await sessionsWithUploads(first.sessionId, second.sessionId, colleague.sessionId, lookalike.sessionId)).toEqual(
      [colleague.sessionId, lookalike.sessionId].sort(),
    );
    expect(await personalRows(storage, colleague.sessionId)).toMatchObject({ uploads: 3, chat: 1, locations: 1 });

    // The log names the tickets and sessions and a hash of the address, never the address.
    const hash = createHash('sha256').update('maria.petrova@example.com').digest('hex');
    const audit = [...(await storage.privacy!.auditForTicket(1201)), ...(await storage.privacy!.auditForTicket(1305))].filter(
      (e) => e.actorKind === 'admin',
    );
    expect(audit.map((e) => [e.action, e.ticketId, e.sessionId, e.actorId, e.detail?.requesterEmailSha256])).toEqual([
      ['export', 1201, null, 'dpo@wilo.example', hash],
      ['erase', 1201, first.sessionId, 'dpo@wilo.example', hash],
      ['export', 1305, null, 'dpo@wilo.example', hash],
      ['erase', 1305, second.sessionId, 'dpo@wilo.example', hash],
    ]);
    const log = JSON.stringify(await rows(storage.database, 'SELECT * FROM audit_log')).toLowerCase();
    expect(log).not.toContain('maria');

    // Asked again, the email is unknown: a clear failure, and the lookup is on record.
    const again = await cli('export', '--email', maria, '--out', join(dataDir, 'again.zip'));
    expect(again.code).toBe(1);
    expect(again.output).toContain('No session found for requester maria.petrova@example.com');
    expect(existsSync(join(dataDir, 'again.zip'))).toBe(false);
    const lookups = await rows<{ action: string; ticket_id: null; detail: string }>(
      storage.database,
      `SELECT action, ticket_id, detail FROM audit_log WHERE ticket_id IS NULL`,
    );
    expect(lookups.map((r) => [r.action, JSON.parse(r.detail)])).toEqual([
      ['export', { lookup: 'requester-email', requesterEmailSha256: hash, sessions: [], files: 0 }],
    ]);
  });

  it('refuses an unknown email, a malformed one, both --ticket and --email, and a missing ticket, each with the reason', async () => {
    const kept = await seedCall(storage, blobs, { ticketId: 1201, at: T0, state: 'note-done', requesterEmail: 'maria@example.com' });
    const unknown = await cli('erase', '--email', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No session found for requester nobody@example.com');
    expect(unknown.output).toContain('--ticket');
    expect(await sessionsWithUploads(kept.sessionId)).toEqual([kept.sessionId]);
    expect((await cli('export', '--email', 'maria example.com')).output).toContain('--email must be one email address');
    expect((await cli('export', '--email', 'maria@example.com', '--ticket', '1201')).output).toContain('not both');
    const noTicket = await cli('erase');
    expect(noTicket.code).toBe(2);
    expect(noTicket.output).toContain('--ticket must be a ticket number');
  });
});
