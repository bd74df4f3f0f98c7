/**
 * Child process for the crash test: opens the outbox on a SQLite file, enqueues one note
 * and runs until killed. Usage: tsx outbox-child.ts <config-json>
 */
import Database from 'better-sqlite3';
import { WritebackOutbox } from '../outbox.js';
import type { NoteOperation } from '../types.js';
import { ZendeskNoteWriter } from '../zendesk-writer.js';

interface ChildConfig {
  dbFile: string;
  baseUrl: string;
  email: string;
  apiToken: string;
  op: NoteOperation;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const db = new Database(config.dbFile);
db.pragma('journal_mode = WAL');
const outbox = new WritebackOutbox({
  db,
  writer: new ZendeskNoteWriter({
    baseUrl: config.baseUrl,
    auth: { kind: 'api_token', email: config.email, apiToken: config.apiToken },
    requestTimeoutMs: 60_000,
  }),
});
outbox.enqueue(config.op);
outbox.start();
process.stdout.write('started\n');
// The hung request would keep the loop alive anyway; this makes "runs until killed" explicit.
setInterval(() => {}, 60_000);
