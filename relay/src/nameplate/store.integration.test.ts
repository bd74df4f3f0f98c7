import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAMEPLATES } from '@live-assist/protocol';
import type { Storage } from '../db/repository.js';
import { ENGINES, testStorage } from '../testing/db.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);

// The same on both engines: a second relay on PostgreSQL reads what the first one stored.
describe.each(ENGINES)('nameplates on %s', (engine) => {
  let storage: Storage | undefined;
  afterEach(() => storage?.close());

  async function withSession(): Promise<{ store: NonNullable<Storage['nameplates']>; storage: Storage }> {
    storage = await testStorage(engine);
    await storage.sessions.startForTicket({
      id: 'sess-np',
      account: 'acme.zendesk.com',
      ticketId: 7,
      status: 'active',
      inviteTokenHash: 'hash-np',
      expiresAt: T0 + 3_600_000,
      createdAt: T0,
      endedAt: null,
      endReason: null,
      agentId: '42',
      agentName: 'Ada',
      agentLocale: 'en',
      requesterEmail: null,
    });
    return { store: storage.nameplates!, storage };
  }

  it('one plate per crop: a re-confirm replaces its values and keeps its place', async () => {
    const { store } = await withSession();
    expect(await store.save('sess-np', 'upload-pump', { model: 'M1', serial: 'S1' }, T0)).toMatchObject({ replaced: false });
    await store.save('sess-np', 'upload-motor', { model: 'Motor' }, T0 + 1000);
    expect(await store.save('sess-np', 'upload-pump', { model: 'M1', serial: 'S1-fixed', date: '' }, T0 + 2000)).toMatchObject({
      replaced: true,
      record: { values: { model: 'M1', serial: 'S1-fixed' } },
    });
    const list = await store.list('sess-np');
    expect(list.map((p) => [p.uploadId, p.values, p.createdAt, p.updatedAt])).toEqual([
      ['upload-pump', { model: 'M1', serial: 'S1-fixed' }, T0, T0 + 2000],
      ['upload-motor', { model: 'Motor' }, T0 + 1000, T0 + 1000],
    ]);
  });

  it(`keeps at most ${MAX_NAMEPLATES} plates; a re-confirm of one of them still goes`, async () => {
    const { store } = await withSession();
    for (let i = 0; i < MAX_NAMEPLATES; i += 1) await store.save('sess-np', `upload-${i}`, { serial: `S${i}` }, T0 + i);
    expect(await store.save('sess-np', 'upload-extra', { serial: 'X' }, T0 + 100)).toEqual({ full: true });
    expect(await store.save('sess-np', 'upload-3', { serial: 'S3b' }, T0 + 101)).toMatchObject({ replaced: true });
    expect(await store.list('sess-np')).toHaveLength(MAX_NAMEPLATES);
  });

  it("goes with its session's row", async () => {
    const { store, storage: s } = await withSession();
    await store.save('sess-np', 'upload-pump', { serial: 'S1' }, T0);
    await s.privacy!.expireSession('sess-np');
    expect(await store.list('sess-np')).toEqual([]);
  });

  it("keeps one field mapping per helpdesk account, the last sign-in's, an unmapped value as absent", async () => {
    storage = await testStorage(engine);
    const maps = storage.nameplateFieldMaps!;
    expect(await maps.get('wilo.freshdesk.com')).toBeNull();
    await maps.replace('wilo.freshdesk.com', { model: 'cf_pump_model', serial: 'cf_serial_number' }, T0);
    await maps.replace('other.freshdesk.com', { date: 'cf_production_date' }, T0);
    await maps.replace('Wilo.Freshdesk.com', { serial: 'cf_serial' }, T0 + 1000);
    expect(await maps.get('wilo.freshdesk.com')).toEqual({ serial: 'cf_serial' });
    expect(await maps.get('other.freshdesk.com')).toEqual({ date: 'cf_production_date' });
    // An installation that maps nothing is stored too: it is not the same as no sign-in yet.
    await maps.replace('other.freshdesk.com', {}, T0 + 2000);
    expect(await maps.get('other.freshdesk.com')).toEqual({});
  });
});
