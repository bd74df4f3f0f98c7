/**
 * Child process for the crash tests: a relay's outbox on the test's database (migrated by the
 * test), which enqueues one note and runs until killed. Usage: tsx outbox-child.ts <config-json>
 */
import { blobStoreFor } from '../blobs/index.js';
import { openDatabase, type DatabaseTarget } from '../db/database.js';
import { WritebackOutbox } from '../writeback/outbox.js';
import { FreshdeskNoteWriter } from '../writeback/freshdesk-writer.js';
import type { NoteOperation } from '../writeback/types.js';
import { ZendeskNoteWriter } from '../writeback/zendesk-writer.js';

interface ChildConfig {
  target: DatabaseTarget;
  /** Where attachments are on SQLite (on PostgreSQL they are in the database). */
  dataDir: string;
  owner: string;
  leaseMs?: number;
  baseUrl: string;
  /** Zendesk's API-token credentials… */
  email?: string;
  apiToken?: string;
  /** …or Freshdesk's API key: the writer of that helpdesk. */
  apiKey?: string;
  op: NoteOperation;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const database = openDatabase(config.target);
const outbox = new WritebackOutbox({
  database,
  blobs: blobStoreFor(database, config.dataDir),
  owner: config.owner,
  ...(config.leaseMs ? { leaseMs: config.leaseMs } : {}),
  writer: config.apiKey
    ? new FreshdeskNoteWriter({ baseUrl: config.baseUrl, apiKey: config.apiKey, requestTimeoutMs: 60_000 })
    : new ZendeskNoteWriter({
        baseUrl: config.baseUrl,
        auth: { kind: 'api_token', email: config.email ?? '', apiToken: config.apiToken ?? '' },
        requestTimeoutMs: 60_000,
      }),
});
await outbox.enqueue(config.op);
outbox.start();
process.stdout.write('started\n');
// The hung request would keep the loop alive anyway; this makes "runs until killed" explicit.
setInterval(() => {}, 60_000);
