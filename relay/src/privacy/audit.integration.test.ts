import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadResponseSchema } from '@live-assist/protocol';
import { openSqliteStorage, type SqliteStorage } from '../db/sqlite.js';
import { joinedCustomer, startHarness, type Harness } from '../testing/harness.js';

describe('audit log over the relay', () => {
  let h: Harness;
  let reader: SqliteStorage;
  beforeAll(async () => {
    h = await startHarness();
    // A second connection to the relay's database, as another relay or the CLI would have.
    reader = openSqliteStorage(join(h.dataDir, 'relay.sqlite'));
  });
  afterAll(async () => {
    reader.close();
    await h.close();
  });

  it('records who started, froze, snapshotted and ended a call, and when', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent, 2);
    const customer = await joinedCustomer(h, view);
    const phone = await h.connect(customer.participantToken);
    const desk = await h.connect(view.specialistToken);
    await desk.next('annotation-state');
    await phone.next('annotation-state');

    desk.send({ type: 'freeze' });
    await desk.next('freeze-state');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).png().toBuffer();
    const res = await fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=snapshot`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${view.specialistToken}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(png),
    });
    const snapshot = UploadResponseSchema.parse(await res.json()).upload.id;
    desk.send({ type: 'snapshot-taken', uploadId: snapshot });
    await desk.next('snapshots');
    await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', agentToken: agent });

    const session = await reader.sessions.findById(view.sessionId);
    await expect
      .poll(async () => (await reader.privacy!.auditForTicket(2)).filter((e) => e.sessionId === view.sessionId).map((e) => [e.action, e.actorKind, e.actorId]))
      .toEqual([
        ['session-started', 'agent', session!.agentId],
        ['freeze', 'agent', session!.agentId],
        ['snapshot', 'agent', session!.agentId],
        ['session-ended', 'agent', session!.agentId],
      ]);
    const entries = await reader.privacy!.auditForTicket(2);
    expect(entries.find((e) => e.action === 'snapshot')?.detail).toEqual({ uploadId: snapshot });
    expect(entries.every((e) => e.account === session!.account && e.at >= session!.createdAt)).toBe(true);
  });
});
