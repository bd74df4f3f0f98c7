import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteMarker } from './marker.js';
import { startFakeZendesk, type FakeZendesk } from '../testing/fakes/zendesk.js';
import { noteOp, outboxFixture, waitForState, type OutboxFixture } from './test-support/outbox-fixture.js';

const childScript = fileURLToPath(new URL('./test-support/outbox-child.ts', import.meta.url));

let zendesk: FakeZendesk;
let fx: OutboxFixture;

beforeEach(async () => {
  zendesk = await startFakeZendesk({ tickets: [7] });
  fx = outboxFixture();
});

afterEach(async () => {
  await fx.cleanup();
  await zendesk.close();
});

/** Runs the child until its note request reaches the server, then SIGKILLs it. */
async function killDuringNoteRequest(opKey: string, attachmentPath: string): Promise<NodeJS.Signals | null> {
  const op = noteOp(opKey, 7, [{ fileName: 'snap.png', contentType: 'image/png', filePath: attachmentPath }]);
  const config = { dbFile: fx.dbFile, baseUrl: zendesk.url, email: zendesk.email, apiToken: zendesk.apiToken, op };
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
  child.kill('SIGKILL');
  return exited;
}

describe('write-back outbox across a SIGKILL', () => {
  it.each([
    { when: 'before the helpdesk stored the note', commit: false },
    { when: 'after the helpdesk stored the note', commit: true },
  ])(
    'a relay killed mid-request $when writes exactly one note after restart',
    async ({ commit }) => {
      zendesk.script('note', { hang: true, commit });
      const opKey = `call-note:crash-${commit ? 'committed' : 'lost'}`;
      const signal = await killDuringNoteRequest(opKey, fx.file('snap.png', Buffer.from('snapshot bytes')));
      expect(signal).toBe('SIGKILL');
      expect(zendesk.comments(7)).toHaveLength(commit ? 1 : 0);

      const restarted = fx.open(zendesk);
      expect(restarted.status(opKey)?.state).toBe('pending');
      const started = Date.now();
      restarted.start();
      await waitForState(restarted, opKey, 'done');
      console.info(`[measured] SIGKILL (${commit ? 'note committed' : 'note lost'}): restart finished in ${Date.now() - started} ms`);

      const notes = zendesk.comments(7);
      expect(notes).toHaveLength(1);
      expect(notes[0]?.plain_body).toContain(noteMarker(opKey));
      expect(notes[0]?.attachments.map((a) => a.file_name)).toEqual(['snap.png']);
      // The restarted runner looked for the note before deciding whether to write it.
      expect(zendesk.requests.filter((r) => r.method === 'GET' && r.path.includes('/comments.json'))).toHaveLength(1);
      expect(zendesk.requests.filter((r) => r.method === 'PUT')).toHaveLength(commit ? 1 : 2);
    },
    45_000,
  );
});
