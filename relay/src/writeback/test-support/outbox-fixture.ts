import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, openDatabase, type Database, type DatabaseTarget } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { SCHEMAS } from '../../db/storage.js';
import { testDatabase } from '../../testing/db.js';
import { WritebackOutbox, type WritebackOutboxOptions } from '../outbox.js';
import type { NoteOperation, OutboxStatus } from '../types.js';
import { ZendeskNoteWriter } from '../zendesk-writer.js';
import type { FakeZendesk } from './fake-zendesk.js';

/** A temp folder for attachment files and a migrated database (SQLite file or PostgreSQL schema), for outbox tests. */
export interface OutboxFixture {
  dir: string;
  target: DatabaseTarget;
  /** Each call is another relay on the same database (its own connection and lease owner). */
  file(name: string, bytes: Buffer | string): string;
  open(zendesk: FakeZendesk, options?: Partial<WritebackOutboxOptions> & { requestTimeoutMs?: number }): WritebackOutbox;
  cleanup(): Promise<void>;
}

export async function outboxFixture(engine: Engine = Engine.sqlite): Promise<OutboxFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'la-outbox-'));
  const testDb = await testDatabase(engine, join(dir, 'relay.sqlite'));
  const setup = openDatabase(testDb.target);
  await migrate(setup, SCHEMAS);
  await setup.close();
  const opened: { outbox: WritebackOutbox; db: Database }[] = [];
  return {
    dir,
    target: testDb.target,
    file(name, bytes) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    open(zendesk, options = {}) {
      const db = openDatabase(testDb.target);
      const { requestTimeoutMs, ...rest } = options;
      const writer = new ZendeskNoteWriter({
        baseUrl: zendesk.url,
        auth: { kind: 'api_token', email: zendesk.email, apiToken: zendesk.apiToken },
        requestTimeoutMs: requestTimeoutMs ?? 5_000,
      });
      const outbox = new WritebackOutbox({ database: db, writer, backoff: { baseMs: 40, maxMs: 400 }, settleMs: 50, ...rest });
      opened.push({ outbox, db });
      return outbox;
    },
    async cleanup() {
      for (const { outbox, db } of opened) {
        await outbox.stop();
        await db.close();
      }
      await testDb.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function noteOp(opKey: string, ticketId: number, attachments: NoteOperation['attachments'] = []): NoteOperation {
  return { opKey, ticketId, htmlBody: `<h3>Video call</h3><p>Chat &amp; photos for ${opKey}</p>`, attachments };
}

/** Resolves with the first status that satisfies `state`, polling the outbox. */
export async function waitForState(
  outbox: WritebackOutbox,
  opKey: string,
  state: OutboxStatus['state'],
  timeoutMs = 10_000,
): Promise<OutboxStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await outbox.status(opKey);
    if (status?.state === state) return status;
    if (Date.now() > deadline) throw new Error(`${opKey} is ${JSON.stringify(status)}, expected ${state}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
