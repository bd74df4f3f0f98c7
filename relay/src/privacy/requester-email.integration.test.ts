import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../db/repository.js';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import type { Harness } from '../testing/harness.js';
import { runPrivacyCli } from './cli.js';
import { zipEntries } from '../testing/read-zip.js';

describe.each(ENGINES)('requester email over the relay (%s)', (engine) => {
  let relay: EngineHarness;
  let h: Harness;
  // The CLI's own connection to the relay's database, as an admin would run it next to the relay.
  let reader: Storage;
  beforeAll(async () => {
    relay = await startHarnessOn(engine);
    ({ h, reader } = relay);
  });
  afterAll(() => relay?.close());

  async function cli(...args: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await runPrivacyCli(args, { DATA_DIR: h.dataDir, ...relay.databaseEnv }, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  it('files a session under the ticket requester’s email from the helpdesk, so export and erase by email find it', async () => {
    const agent = await h.agentToken();
    const carla = await h.createSession(agent, 1);
    const bob = await h.createSession(agent, 2);
    expect((await reader.sessions.findById(carla.sessionId))?.requesterEmail).toBe('carla@example.com');
    expect((await reader.sessions.findById(bob.sessionId))?.requesterEmail).toBe('bob@example.com');

    const out = join(h.dataDir, 'carla.zip');
    expect(await cli('export', '--email', ' CARLA@example.com', '--out', out)).toMatchObject({ code: 0 });
    const json = JSON.parse(zipEntries(readFileSync(out)).get('export.json')!.toString('utf8')) as { sessions: { sessionId: string }[] };
    expect(json.sessions.map((s) => s.sessionId)).toEqual([carla.sessionId]);

    expect(await cli('erase', '--email', 'carla@example.com')).toEqual({
      code: 0,
      output: expect.stringContaining('1 session(s) erased, 1 of them live'),
    });
    expect(await reader.sessions.findById(carla.sessionId)).toBeNull();
    expect((await reader.sessions.findById(bob.sessionId))?.status).toBe('active');
    // The agent's side panel no longer finds a call on the ticket.
    expect((await h.api('/api/tickets/1/session', { bearer: agent })).status).toBe(404);
  });
});
