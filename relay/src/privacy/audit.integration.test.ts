import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadDownloadResponseSchema, UploadResponseSchema } from '@live-assist/protocol';
import type { Storage } from '../db/repository.js';
import { ENGINES } from '../testing/db.js';
import { startHarnessOn, type EngineHarness } from '../testing/engine-harness.js';
import { joinedCustomer, type Harness } from '../testing/harness.js';

describe.each(ENGINES)('audit log over the relay (%s)', (engine) => {
  let relay: EngineHarness;
  let h: Harness;
  // A second connection to the relay's database, as another relay or the CLI would have.
  let reader: Storage;
  beforeAll(async () => {
    relay = await startHarnessOn(engine);
    ({ h, reader } = relay);
  });
  afterAll(() => relay?.close());

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
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const res = await fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=snapshot`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${view.specialistToken}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(png),
    });
    const snapshot = UploadResponseSchema.parse(await res.json()).upload.id;
    desk.send({ type: 'snapshot-taken', uploadId: snapshot });
    await desk.next('snapshots');
    await h.api(`/api/sessions/${view.sessionId}/end`, { method: 'POST', bearer: agent });

    const session = await reader.sessions.findById(view.sessionId);
    await expect
      .poll(async () =>
        (await reader.privacy!.auditForTicket(2))
          .filter((e) => e.sessionId === view.sessionId)
          .map((e) => [e.action, e.actorKind, e.actorId]),
      )
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

  it('records a photo the specialist downloads before handing out a one-minute download link; the customer cannot download', async () => {
    const agent = await h.agentToken();
    const view = await h.createSession(agent, 1);
    const customer = await joinedCustomer(h, view);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#996633' } })
      .jpeg()
      .toBuffer();
    const sent = await fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads?purpose=photo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${customer.participantToken}`, 'Content-Type': 'image/jpeg' },
      body: new Uint8Array(jpeg),
    });
    const photo = UploadResponseSchema.parse(await sent.json()).upload;
    const download = (token: string, uploadId = photo.id) =>
      fetch(`${h.relay.url}/api/sessions/${view.sessionId}/uploads/${uploadId}/download`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });

    expect((await download(customer.participantToken)).status).toBe(403);
    expect((await download(view.specialistToken, 'no-such-upload-id')).status).toBe(404);
    const other = await h.createSession(agent, 2);
    expect(
      (
        await fetch(`${h.relay.url}/api/sessions/${other.sessionId}/uploads/${photo.id}/download`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${other.specialistToken}` },
        })
      ).status,
    ).toBe(404);
    const before = (await reader.privacy!.auditForTicket(1)).filter((e) => e.action === 'photo-downloaded').length;

    const res = await download(view.specialistToken);
    expect(res.status).toBe(200);
    const { url } = UploadDownloadResponseSchema.parse(await res.json());
    const saved = await fetch(url);
    expect(saved.status).toBe(200);
    expect(saved.headers.get('content-disposition')).toMatch(/^attachment; filename="photo-[\d-]+\.jpg"$/);
    expect(Number(new URL(url).searchParams.get('exp')) * 1000 - Date.now()).toBeLessThanOrEqual(60_000);

    const session = await reader.sessions.findById(view.sessionId);
    const downloads = (await reader.privacy!.auditForTicket(1)).filter((e) => e.action === 'photo-downloaded');
    expect(downloads).toHaveLength(before + 1);
    expect(downloads.at(-1)).toMatchObject({
      actorKind: 'agent',
      actorId: session!.agentId,
      sessionId: view.sessionId,
      detail: { uploadId: photo.id, purpose: 'photo' },
    });
  });
});
