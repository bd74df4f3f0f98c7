import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openSqliteStorage } from '../db/sqlite.js';
import { eraseTicket, exportTicket } from './access.js';
import { writeExportZip } from './zip.js';

const HELP = `Usage: npm run privacy -- <export|erase> --ticket <id> [options]

  export --ticket 1201 [--out file.zip]   Zip of everything the relay still holds for the ticket's
                                          sessions (export.json + photos, stills, snapshots, transcripts).
  erase  --ticket 1201                    Deletes all of it (ends a live session of the ticket first).

Options:
  --by <name>     Who runs this, for the audit log (default: the OS user).
  --email <addr>  Not supported: the relay does not store the requester's email. Look the
                  requester's tickets up in the helpdesk and run the command per ticket.

Reads DATA_DIR (and the rest of the relay configuration) from the environment, like the relay.
Every export and erase is written to the audit log.`;

/** Entry point for an admin; separate from the relay's main.ts, so it reads the environment itself. */
export async function runPrivacyCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ticket: { type: 'string' }, out: { type: 'string' }, by: { type: 'string' }, email: { type: 'string' }, help: { type: 'boolean' } },
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
  if (values.email !== undefined) {
    out('--email is not supported: the relay keeps no requester email (the helpdesk does). Find the requester\'s tickets in the helpdesk and run this per ticket with --ticket.');
    return 2;
  }
  const ticketId = Number(values.ticket);
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0) {
    out(`--ticket must be a ticket number, e.g. --ticket 1201.\n\n${HELP}`);
    return 2;
  }
  let dataDir: string;
  try {
    dataDir = resolve(loadConfig(env).dataDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      out(err.message);
      return 2;
    }
    throw err;
  }
  const storage = openSqliteStorage(join(dataDir, 'relay.sqlite'));
  try {
    const deps = { storage: { ...storage, privacy: storage.privacy! }, dataDir, now: Date.now, actor: values.by ?? userInfo().username };
    if (command === 'export') {
      const data = await exportTicket(deps, ticketId);
      const file = resolve(values.out ?? `ticket-${ticketId}-export.zip`);
      await writeExportZip(data, file);
      out(`Ticket ${ticketId}: ${(data.json.sessions as unknown[]).length} session(s), ${data.files.length} file(s) written to ${file}`);
    } else {
      const result = await eraseTicket(deps, ticketId);
      out(
        `Ticket ${ticketId}: ${result.sessionIds.length} session(s) erased` +
          (result.endedLive.length > 0 ? `, ${result.endedLive.length} of them live (ended; a running relay refuses their tokens from now on)` : ''),
      );
    }
    return 0;
  } finally {
    storage.close();
  }
}
