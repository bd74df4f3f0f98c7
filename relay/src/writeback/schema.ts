import type { SchemaOwner } from '../db/migrate.js';

/**
 * The outbox of ticket notes (`writeback_ops` with their files) and what the relay observed of
 * each call (`writeback_calls`), so a restarted relay still writes the note. A relay works an
 * operation only while it holds the operation's lease (`lease_owner` until `lease_until`).
 */
export const writebackSchema: SchemaOwner = {
  name: 'writeback',
  after: ['sessions'],
  migrations: [
    {
      version: 1,
      name: 'note outbox with leases, its files, call timing',
      sql: `
        CREATE TABLE writeback_ops (
          op_key TEXT PRIMARY KEY,
          ticket_id BIGINT NOT NULL,
          html_body TEXT NOT NULL,
          author_id BIGINT,
          refused_heading TEXT,
          follow_up_html TEXT,
          follows TEXT,
          status TEXT NOT NULL CHECK (status IN ('pending', 'retrying', 'done', 'failed')),
          attempts BIGINT NOT NULL DEFAULT 0,
          transient_failures BIGINT NOT NULL DEFAULT 0,
          next_attempt_at BIGINT NOT NULL,
          last_error TEXT,
          note_sent_at BIGINT,
          lease_owner TEXT,
          lease_until BIGINT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          done_at BIGINT
        );
        CREATE INDEX writeback_ops_due ON writeback_ops (status, next_attempt_at);
        CREATE TABLE writeback_attachments (
          op_key TEXT NOT NULL REFERENCES writeback_ops (op_key) ON DELETE CASCADE ON UPDATE CASCADE,
          position BIGINT NOT NULL,
          file_name TEXT NOT NULL,
          content_type TEXT NOT NULL,
          file_path TEXT NOT NULL,
          upload_token TEXT,
          uploaded_at BIGINT,
          refused_at BIGINT,
          PRIMARY KEY (op_key, position)
        );
        CREATE TABLE writeback_calls (
          session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
          customer_joined_at BIGINT,
          call_started_at BIGINT,
          vanished_role TEXT,
          vanished_at BIGINT,
          ended_at BIGINT,
          end_kind TEXT,
          enqueued_at BIGINT
        );
      `,
    },
    {
      version: 2,
      name: 'attachments name a blob key',
      // Files are read through the blob store (DATA_DIR or the database), by key, not by path.
      sql: `ALTER TABLE writeback_attachments RENAME COLUMN file_path TO blob_key`,
    },
    {
      version: 3,
      name: 'ticket-field operations carry the nameplate values they write',
      // JSON of the values; NULL for a note. Such an operation has an empty html_body.
      sql: `ALTER TABLE writeback_ops ADD COLUMN ticket_fields TEXT`,
    },
  ],
};
