import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadResponseSchema } from '@live-assist/protocol';
import { Engine } from '../db/database.js';
import { runPrivacyCli } from '../privacy/cli.js';
import { rows } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, startHarness, waitFor, type FakeHarness } from '../testing/harness.js';

/** Both relays sign and check links and tokens with it, as a deployment behind one load balancer does. */
const RELAY_SECRET = 'two-relays-share-this-secret-0123456789abcdef';

describe('two relays on one PostgreSQL, each with a DATA_DIR of its own', () => {
  let a: EngineHarness;
  let b: FakeHarness;

  beforeAll(async () => {
    a = await startHarnessOn(Engine.postgres, { RELAY_SECRET });
    // B serves the same helpdesk account as A (its own stand-in stays unused).
    const helpdesk = a.h.helpdesk.config;
    b = await startHarness({
      ...a.databaseEnv,
      RELAY_SECRET,
      HELPDESK_URL: helpdesk.baseUrl,
      HELPDESK_EMAIL: helpdesk.email,
      HELPDESK_API_TOKEN: helpdesk.apiToken,
      ZENDESK_APP_ID: String(helpdesk.appId),
      ZENDESK_INSTALLATION_ID: String(helpdesk.installationId),
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** The same signed link, asked of the other relay. */
  const via = (relay: FakeHarness, url: string): string => `${relay.relay.url}${new URL(url).pathname}${new URL(url).search}`;

  it('a photo uploaded through relay A is served by relay B, B writes the note with it, and erasure removes it from the database', async () => {
    const agent = await a.h.agentToken();
    const view = await a.h.createSession(agent);
    const { participantToken } = await joinedCustomer(a.h, view);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6f97' } })
      .png()
      .toBuffer();
    const res = await fetch(`${a.h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=snapshot`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${view.specialistToken}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(photo),
    });
    expect(res.status).toBe(201);
    const { upload } = UploadResponseSchema.parse(await res.json());

    const fromA = await fetch(upload.url);
    const fromB = await fetch(via(b, upload.url));
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    const bytes = Buffer.from(await fromA.arrayBuffer());
    expect(Buffer.from(await fromB.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(via(b, upload.previewUrl))).status).toBe(200);
    // Neither relay's disk holds it: the database does.
    expect(existsSync(join(a.h.dataDir, 'uploads'))).toBe(false);
    expect(existsSync(join(b.dataDir, 'uploads'))).toBe(false);
    expect(await rows(a.reader.database, 'SELECT blob_key FROM blobs WHERE folder = ?', `uploads/${view.sessionId}`)).toHaveLength(2);

    // The customer joins the call on A, then A stops: B alone serves the photo and, when the agent
    // ends the call there, writes the note with A's snapshot attached.
    const customer = await a.h.connect(participantToken);
    await waitFor('the customer’s join on record', async () => {
      const [call] = await rows<{ joined: number | null }>(
        a.reader.database,
        'SELECT customer_joined_at AS joined FROM writeback_calls WHERE session_id = ?',
        view.sessionId,
      );
      return call?.joined;
    });
    customer.close();
    await a.h.relay.close();
    expect(Buffer.from(await (await fetch(via(b, upload.url))).arrayBuffer()).equals(bytes)).toBe(true);
    expect((await b.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent })).status).toBe(200);
    const attached = await waitFor('the note’s attachment at the helpdesk', async () =>
      [...a.h.helpdesk.uploads.values()].find((u) => u.contentType === 'image/png'),
    );
    expect(attached.bytes.equals(bytes)).toBe(true);

    const lines: string[] = [];
    const erased = await runPrivacyCli(['erase', '--ticket', '1'], { DATA_DIR: b.dataDir, ...a.databaseEnv }, (l) => lines.push(l));
    expect({ erased, output: lines.join('\n') }).toEqual({ erased: 0, output: expect.stringContaining('1 session(s) erased') });
    expect(await rows(a.reader.database, 'SELECT blob_key FROM blobs WHERE blob_key LIKE ?', `%${view.sessionId}%`)).toEqual([]);
    expect((await fetch(via(b, upload.url))).status).toBe(404);
  });
});
