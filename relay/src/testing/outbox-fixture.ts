import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobStoreFor } from '../blobs/index.js';
import { Engine, openDatabase, type Database, type DatabaseTarget } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { SCHEMAS } from '../db/storage.js';
import { testDatabase } from './db.js';
import { WritebackOutbox, type WritebackOutboxOptions } from '../writeback/outbox.js';
import { FreshdeskNoteWriter } from '../writeback/freshdesk-writer.js';
import type { HelpdeskNoteWriter, NoteOperation, OutboxStatus } from '../writeback/types.js';
import { ZendeskNoteWriter } from '../writeback/zendesk-writer.js';
import type { FakeFreshdesk } from './fakes/freshdesk.js';
import type { FakeZendesk } from './fakes/zendesk.js';

/** The relay's note writer for a stand-in, as the server builds it for that kind of helpdesk. */
export function writerFor(helpdesk: FakeZendesk | FakeFreshdesk, requestTimeoutMs: number): HelpdeskNoteWriter {
  if (helpdesk.config.kind === 'freshdesk') {
    return new FreshdeskNoteWriter({ baseUrl: helpdesk.url, apiKey: helpdesk.config.apiKey, requestTimeoutMs });
  }
  const zendesk = helpdesk as FakeZendesk;
  return new ZendeskNoteWriter({
    baseUrl: zendesk.url,
    auth: { kind: 'api_token', email: zendesk.email, apiToken: zendesk.apiToken },
    requestTimeoutMs,
  });
}

/**
 * A migrated database (SQLite file or PostgreSQL schema) and the relay's blob store for it
 * (files in `dir` on SQLite, in the database on PostgreSQL), for outbox tests.
 */
export interface OutboxFixture {
  /** The DATA_DIR. */
  dir: string;
  target: DatabaseTarget;
  /** Stores an attachment's bytes as a relay would; returns its blob key. */
  file(name: string, bytes: Buffer | string): Promise<string>;
  /** Each call is another relay on the same database (its own connection and lease owner). */
  open(helpdesk: FakeZendesk | FakeFreshdesk, options?: Partial<WritebackOutboxOptions> & { requestTimeoutMs?: number }): WritebackOutbox;
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
    async file(name, bytes) {
      const key = `writeback/fixture/${name}`;
      const db = openDatabase(testDb.target);
      try {
        await blobStoreFor(db, dir).put(key, Buffer.from(bytes));
      } finally {
        await db.close();
      }
      return key;
    },
    open(helpdesk, options = {}) {
      const db = openDatabase(testDb.target);
      const { requestTimeoutMs, ...rest } = options;
      const writer = writerFor(helpdesk, requestTimeoutMs ?? 5_000);
      const outbox = new WritebackOutbox({
        database: db,
        blobs: blobStoreFor(db, dir),
        writer,
        backoff: { baseMs: 40, maxMs: 400 },
        settleMs: 50,
        ...rest,
      });
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
