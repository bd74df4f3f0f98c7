import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { blobStoreFor } from '../blobs/index.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { databaseTarget } from '../db/database.js';
import { openStorage } from '../db/storage.js';
import { requesterEmailKey } from '../db/repository.js';
import { eraseData, exportData, type AccessSubject } from './access.js';
import { writeExportZip } from './zip.js';

const HELP = `Usage: npm run privacy -- <export|erase> (--ticket <id> | --email <address>) [options]

  export --ticket 1201 [--out file.zip]   Zip of everything the relay still holds for the ticket's
                                          sessions (export.json + photos, stills, snapshots, transcripts).
  erase  --ticket 1201                    Deletes all of it (ends a live session of the ticket first).
  export --email maria@example.com        The same for every session whose ticket requester had that
  erase  --email maria@example.com        email when the call started (any ticket; exact match after
                                          trimming, case-insensitive).

Options:
  --out <file>    Where export writes the zip (default: ticket-<id>-export.zip or requester-export.zip).
  --by <name>     Who runs this, for the audit log (default: the OS user).

Reads DATA_DIR and DATABASE_URL (and the rest of the relay configuration) from the environment, like the relay.
Every export and erase is written to the audit log.`;

/**
 * An unknown email is an answer the admin must notice (a typo, or calls from before the relay
 * kept the email), so it fails; the lookup is in the audit log all the same.
 */
function unknownEmail(out: (line: string) => void, email: string): number {
  out(
    `No session found for requester ${requesterEmailKey(email)}: the relay holds nothing under that email. ` +
      'Sessions started before the relay recorded requester emails, or already past their consent retention, are not found this way: ' +
      "look the requester's tickets up in the helpdesk and run the command with --ticket.",
  );
  return 1;
}

/** Entry point for an admin; separate from the relay's main.ts, so it reads the environment itself. */
export async function runPrivacyCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ticket: { type: 'string' },
        out: { type: 'string' },
        by: { type: 'string' },
        email: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    out(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || (command !== 'export' && command !== 'erase')) {
    out(HELP);
    return values.help ? 0 : 2;
  }
  let subject: AccessSubject;
  if (values.email !== undefined && values.ticket !== undefined) {
    out(`Give --ticket or --email, not both.\n\n${HELP}`);
    return 2;
  }
  if (values.email !== undefined) {
    const email = values.email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      out(`--email must be one email address, e.g. --email maria@example.com.\n\n${HELP}`);
      return 2;
    }
    subject = { email };
  } else {
    const ticketId = Number(values.ticket);
    if (!Number.isSafeInteger(ticketId) || ticketId <= 0) {
      out(`--ticket must be a ticket number, e.g. --ticket 1201 (or give --email).\n\n${HELP}`);
      return 2;
    }
    subject = { ticketId };
  }
  let dataDir: string;
  let databaseUrl: string | null;
  try {
    const config = loadConfig(env);
    dataDir = resolve(config.dataDir);
    databaseUrl = config.databaseUrl;
  } catch (err) {
    if (err instanceof ConfigError) {
      out(err.message);
      return 2;
    }
    throw err;
  }
  const storage = await openStorage(databaseTarget(databaseUrl ?? undefined, join(dataDir, 'relay.sqlite')));
  try {
    // The relay's own choice: the CLI finds files where the relay keeps them (DATA_DIR or the database).
    const blobs = blobStoreFor(storage.database, dataDir);
    const deps = { storage: { ...storage, privacy: storage.privacy! }, blobs, now: Date.now, actor: values.by ?? userInfo().username };
    const what = 'ticketId' in subject ? `Ticket ${subject.ticketId}` : `Requester ${requesterEmailKey(subject.email)}`;
    if (command === 'export') {
      const data = await exportData(deps, subject);
      if (data.sessionCount === 0 && 'email' in subject) return unknownEmail(out, subject.email);
      const file = resolve(values.out ?? ('ticketId' in subject ? `ticket-${subject.ticketId}-export.zip` : 'requester-export.zip'));
      await writeExportZip(data, file, blobs);
      out(`${what}: ${data.sessionCount} session(s), ${data.files.length} file(s) written to ${file}`);
    } else {
      const result = await eraseData(deps, subject);
      if (result.sessionIds.length === 0 && 'email' in subject) return unknownEmail(out, subject.email);
      out(
        `${what}: ${result.sessionIds.length} session(s) erased` +
          (result.endedLive.length > 0
            ? `, ${result.endedLive.length} of them live (ended; a running relay refuses their tokens from now on)`
            : ''),
      );
    }
    return 0;
  } finally {
    await storage.close();
  }
}
