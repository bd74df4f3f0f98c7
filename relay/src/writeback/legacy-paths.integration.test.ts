import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { SCHEMAS } from '../db/storage.js';
import { ENGINES, run, testDatabase, type TestDatabase } from '../testing/db.js';
import { OutboxStore } from './store.js';

/** Every capability as released before attachments named blob keys (writeback at version 1). */
const BEFORE_BLOBS = SCHEMAS.map((o) => (o.name === 'writeback' ? { ...o, migrations: o.migrations.filter((m) => m.version === 1) } : o));

describe.each(ENGINES)('a note queued before the blob store (%s)', (engine) => {
  let db: TestDatabase;
  let database: Database;
  afterEach(async () => {
    await database.close();
    await db.drop();
  });

  it('keeps its attachment after the upgrade, now named by its blob key', async () => {
    db = await testDatabase(engine);
    database = openDatabase(db.target);
    await migrate(database, BEFORE_BLOBS);
    await run(
      database,
      `INSERT INTO writeback_ops (op_key, ticket_id, html_body, status, next_attempt_at, created_at, updated_at)
       VALUES ('call-note:s1', 7, '<p>note</p>', 'pending', 1, 1, 1)`,
    );
    await run(
      database,
      `INSERT INTO writeback_attachments (op_key, position, file_name, content_type, file_path)
       VALUES ('call-note:s1', 0, 'photo-1.jpg', 'image/jpeg', '/var/lib/live-assist/uploads/s1/abc.jpg')`,
    );
    await migrate(database, SCHEMAS);
    const op = await new OutboxStore(database, 'relay', 60_000).get('call-note:s1');
    expect(op?.attachments).toEqual([expect.objectContaining({ fileName: 'photo-1.jpg', blobKey: 'uploads/s1/abc.jpg' })]);
  });
});
