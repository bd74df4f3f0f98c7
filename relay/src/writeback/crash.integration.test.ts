import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import { ENGINES } from '../testing/db.js';
import { noteMarker } from './marker.js';
import { startFakeZendesk, type FakeZendesk } from '../testing/fakes/zendesk.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from '../testing/outbox-fixture.js';

const childScript = fileURLToPath(new URL('../testing/outbox-child.ts', import.meta.url));

let zendesk: FakeZendesk;
let fx: OutboxFixture;

async function setUp(engine: Engine): Promise<void> {
  zendesk = await startFakeZendesk({ tickets: [7] });
  fx = await outboxFixture(engine);
}

afterEach(async () => {
  await fx.cleanup();
  await zendesk.close();
});

/** Runs the child until its note request reaches the server, then SIGKILLs it. */
async function killDuringNoteRequest(
  opKey: string,
  attachmentKey: string,
  relay: { owner: string; leaseMs?: number },
  beforeKill: () => void = () => {},
): Promise<NodeJS.Signals | null> {
  const op = noteOp(opKey, 7, [{ fileName: 'snap.png', contentType: 'image/png', blobKey: attachmentKey }]);
  const config = {
    target: fx.target,
    dataDir: fx.dir,
    ...relay,
    baseUrl: zendesk.url,
    email: zendesk.email,
    apiToken: zendesk.apiToken,
    op,
  };
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a grandchild, which a
  // SIGKILL to the CLI would leave running (an orphan, and no crash at all).
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const earlyExit = exited.then(() => {
    throw new Error(`child exited before its note request: ${stderr}`);
  });
  await Promise.race([zendesk.waitForRequests('note', 1), earlyExit]);
  earlyExit.catch(() => {});
  beforeKill();
  child.kill('SIGKILL');
  return exited;
}

/**
 * Exactly one note with its file is on the ticket, and the relay that finished looked for it once
 * first; a second note request was sent only when the first never reached the ticket.
 */
function expectOneNoteAfterOneLook(opKey: string, committed: boolean): void {
  const notes = zendesk.comments(7);
  expect(notes).toHaveLength(1);
  expect(notes[0]?.plain_body).toContain(noteMarker(opKey));
  expect(notes[0]?.attachments.map((a) => a.file_name)).toEqual(['snap.png']);
  expect(zendesk.requests.filter((r) => r.method === 'GET' && r.path.includes('/comments.json'))).toHaveLength(1);
  expect(zendesk.requests.filter((r) => r.method === 'PUT')).toHaveLength(committed ? 1 : 2);
}

/** The helpdesk has not, or has, stored the note when the relay writing it dies. */
const KILL_MOMENTS = [
  { when: 'before the helpdesk stored the note', commit: false },
  { when: 'after the helpdesk stored the note', commit: true },
];

describe.each(ENGINES)('write-back outbox across a SIGKILL on %s', (engine) => {
  it.each(KILL_MOMENTS)(
    'a relay killed mid-request $when writes exactly one note after restart',
    async ({ commit }) => {
      await setUp(engine);
      zendesk.script('note', { hang: true, commit });
      const opKey = `call-note:crash-${commit ? 'committed' : 'lost'}`;
      const signal = await killDuringNoteRequest(opKey, await fx.file('snap.png', Buffer.from('snapshot bytes')), { owner: 'relay-a' });
      expect(signal).toBe('SIGKILL');
      expect(zendesk.comments(7)).toHaveLength(commit ? 1 : 0);

      // The same relay, restarted: it takes its own lease back without waiting for it to run out.
      const restarted = fx.open(zendesk, { owner: 'relay-a' });
      expect((await restarted.status(opKey))?.state).toBe('pending');
      const started = Date.now();
      restarted.start();
      await waitForState(restarted, opKey, 'done');
      console.info(`[measured] SIGKILL (${commit ? 'note committed' : 'note lost'}): restart finished in ${Date.now() - started} ms`);

      // The restarted runner looked for the note before deciding whether to write it.
      expectOneNoteAfterOneLook(opKey, commit);
    },
    45_000,
  );

  // Several relays share PostgreSQL; SQLite serves one relay process.
  it.runIf(engine === Engine.postgres).each(KILL_MOMENTS)(
    'two relays work one outbox; the one writing is killed $when; the other writes exactly one note',
    async ({ commit }) => {
      await setUp(engine);
      zendesk.script('note', { hang: true, commit });
      const opKey = `call-note:two-relays-${commit ? 'committed' : 'lost'}`;
      const other = fx.open(zendesk, { owner: 'relay-b', leaseMs: 1_500, maxIdleMs: 200 });
      const signal = await killDuringNoteRequest(
        opKey,
        await fx.file('snap.png', Buffer.from('snapshot bytes')),
        { owner: 'relay-a', leaseMs: 1_500 },
        () =>
          // Relay B is up while A holds the operation: it must wait for A's lease, not write beside it.
          other.start(),
      );
      expect(signal).toBe('SIGKILL');
      await waitForState(other, opKey, 'done', 20_000);

      // Relay B looked for A's note before deciding whether to write one.
      expectOneNoteAfterOneLook(opKey, commit);
    },
    45_000,
  );
});
