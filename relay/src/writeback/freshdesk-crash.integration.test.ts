import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import { ENGINES } from '../testing/db.js';
import { startFakeFreshdesk, type FakeFreshdesk } from '../testing/fakes/freshdesk.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from '../testing/outbox-fixture.js';
import { noteMarker } from './marker.js';

/** As crash.integration.test.ts, against the Freshdesk stand-in: no idempotency key, only the marker. */
const childScript = fileURLToPath(new URL('../testing/outbox-child.ts', import.meta.url));

let fd: FakeFreshdesk;
let fx: OutboxFixture;

async function setUp(engine: Engine): Promise<void> {
  fd = await startFakeFreshdesk({ tickets: [7], pageSize: 2 });
  // Earlier conversations: the marker search has to follow the Link header to find the note.
  for (let i = 0; i < 3; i += 1) fd.addConversation(7, []);
  fx = await outboxFixture(engine);
}

afterEach(async () => {
  await fx.cleanup();
  await fd.close();
});

/** Runs the child until its note request reaches Freshdesk, then SIGKILLs it. */
async function killDuringNoteRequest(
  opKey: string,
  attachmentKey: string,
  relay: { owner: string; leaseMs?: number },
  beforeKill: () => void = () => {},
): Promise<NodeJS.Signals | null> {
  const op = noteOp(opKey, 7, [{ fileName: 'snap.png', contentType: 'image/png', blobKey: attachmentKey }]);
  const config = { target: fx.target, dataDir: fx.dir, ...relay, baseUrl: fd.url, apiKey: fd.config.apiKey, op };
  // Node itself with tsx's loader, so the SIGKILL reaches the process writing the note.
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const earlyExit = exited.then(() => {
    throw new Error(`child exited before its note request: ${stderr}`);
  });
  await Promise.race([fd.waitForRequests('note', 1), earlyExit]);
  earlyExit.catch(() => {});
  beforeKill();
  child.kill('SIGKILL');
  return exited;
}

/** Exactly one note with its file, and a second note request only when the first never reached the ticket. */
function expectOneNote(opKey: string, committed: boolean): void {
  const notes = fd.notes(7);
  expect(notes).toHaveLength(1);
  expect(notes[0]?.body_text).toContain(noteMarker(opKey));
  expect(notes[0]?.attachments.map((a) => a.name)).toEqual(['snap.png']);
  expect(fd.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/notes'))).toHaveLength(committed ? 1 : 2);
}

const KILL_MOMENTS = [
  { when: 'before Freshdesk stored the note', commit: false },
  { when: 'after Freshdesk stored the note', commit: true },
];

describe.each(ENGINES)('Freshdesk write-back across a SIGKILL on %s', (engine) => {
  it.each(KILL_MOMENTS)(
    'a relay killed mid-request $when writes exactly one note after restart',
    async ({ commit }) => {
      await setUp(engine);
      fd.script('note', { hang: true, commit });
      const opKey = `call-note:fd-crash-${commit ? 'committed' : 'lost'}`;
      const signal = await killDuringNoteRequest(opKey, await fx.file('snap.png', Buffer.from('snapshot bytes')), { owner: 'relay-a' });
      expect(signal).toBe('SIGKILL');
      expect(fd.notes(7)).toHaveLength(commit ? 1 : 0);

      const restarted = fx.open(fd, { owner: 'relay-a' });
      restarted.start();
      await waitForState(restarted, opKey, 'done');
      expectOneNote(opKey, commit);
    },
    45_000,
  );

  it.runIf(engine === Engine.postgres).each(KILL_MOMENTS)(
    'two relays work one outbox; the one writing is killed $when; the other writes exactly one note',
    async ({ commit }) => {
      await setUp(engine);
      fd.script('note', { hang: true, commit });
      const opKey = `call-note:fd-two-${commit ? 'committed' : 'lost'}`;
      const other = fx.open(fd, { owner: 'relay-b', leaseMs: 1_500, maxIdleMs: 200 });
      const signal = await killDuringNoteRequest(
        opKey,
        await fx.file('snap.png', Buffer.from('snapshot bytes')),
        { owner: 'relay-a', leaseMs: 1_500 },
        () => other.start(),
      );
      expect(signal).toBe('SIGKILL');
      await waitForState(other, opKey, 'done', 20_000);
      expectOneNote(opKey, commit);
    },
    45_000,
  );
});
