import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../db/database.js';
import type { Storage } from '../db/repository.js';
import { openStorage } from '../db/storage.js';
import { ENGINES, testDatabase, testStorage } from '../testing/db.js';
import { inviteSmsStore, type InviteSmsStore } from './store.js';

const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const SID = `SM${'a'.repeat(32)}`;
const TO = '+44 ••• ••• 123';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startSession(storage: Storage, id: string): Promise<void> {
  await storage.sessions.startForTicket({
    id,
    account: 'acme.zendesk.com',
    ticketId: 1203,
    status: 'active',
    inviteTokenHash: `invite-${id}`,
    expiresAt: T0 + 3600_000,
    createdAt: T0,
    endedAt: null,
    endReason: null,
    agentId: '42',
    agentName: 'Ada',
    agentLocale: 'en-US',
    requesterEmail: null,
  });
}

/** Reserves and sends a text as the route does. */
async function send(texts: InviteSmsStore, sessionId: string, messageSid: string, sentAt: number): Promise<void> {
  const attempt = await texts.reserve(sessionId, 5, sentAt);
  expect(attempt).not.toBeNull();
  await texts.accepted(attempt!, { messageSid, to: TO, sentAt });
}

describe.each(ENGINES)('invite texts on %s', (engine) => {
  async function store(): Promise<InviteSmsStore> {
    const storage = await testStorage(engine);
    cleanups.push(() => storage.close());
    await startSession(storage, 'sess_1');
    await startSession(storage, 'sess_2');
    return inviteSmsStore(storage.database);
  }

  it('keeps the furthest status: retries and late callbacks never move an SMS backwards', async () => {
    const texts = await store();
    await send(texts, 'sess_1', SID, T0);
    expect(await texts.viewOf('sess_1')).toEqual({ sms: { state: 'sent', to: TO, sentAt: new Date(T0).toISOString(), errorCode: null } });
    expect(await texts.applyStatus(SID, 'sent', null)).toBe(true);
    expect(await texts.applyStatus(SID, 'sent', null)).toBe(false);
    expect(await texts.applyStatus(SID, 'delivered', null)).toBe(true);
    expect(await texts.applyStatus(SID, 'sending', null)).toBe(false);
    expect(await texts.applyStatus(SID, 'undelivered', 30003)).toBe(false);
    // WhatsApp's `read` comes after delivered and still reads as delivered.
    expect(await texts.applyStatus(SID, 'read', null)).toBe(true);
    expect((await texts.viewOf('sess_1')).sms).toMatchObject({ state: 'delivered', errorCode: null });
  });

  it('reports undelivered as failed with its code, ignores unknown messages and statuses', async () => {
    const texts = await store();
    await send(texts, 'sess_1', SID, T0);
    expect(await texts.applyStatus(`SM${'b'.repeat(32)}`, 'delivered', null)).toBe(false);
    expect(await texts.applyStatus(SID, 'canceled', null)).toBe(false);
    expect(await texts.applyStatus(SID, 'undelivered', 30006)).toBe(true);
    expect((await texts.viewOf('sess_1')).sms).toMatchObject({ state: 'failed', errorCode: 30006 });
    expect(await texts.viewOf('sess_2')).toEqual({ sms: null });
  });

  it('a resend is what the session shows; an attempt Twilio refused shows nothing', async () => {
    const texts = await store();
    const second = `SM${'c'.repeat(32)}`;
    await send(texts, 'sess_1', SID, T0);
    await texts.applyStatus(SID, 'failed', 30003);
    await send(texts, 'sess_1', second, T0 + 300_000);
    expect((await texts.viewOf('sess_1')).sms).toMatchObject({
      state: 'sent',
      sentAt: new Date(T0 + 300_000).toISOString(),
      errorCode: null,
    });
    expect(await texts.reserve('sess_1', 5, T0 + 400_000)).not.toBeNull();
    expect((await texts.viewOf('sess_1')).sms).toMatchObject({ sentAt: new Date(T0 + 300_000).toISOString() });
    expect((await texts.listForSession('sess_1')).map((t) => [t.messageSid, t.status, t.errorCode])).toEqual([
      [SID, 'failed', 30003],
      [second, 'queued', null],
    ]);
  });

  it('counts every attempt against the per-session cap, whether or not Twilio took it', async () => {
    const texts = await store();
    for (let i = 0; i < 3; i++) expect(await texts.reserve('sess_1', 3, T0)).not.toBeNull();
    expect(await texts.reserve('sess_1', 3, T0)).toBeNull();
    expect(await texts.reserve('sess_2', 3, T0)).not.toBeNull();
  });
});

// Several relays share PostgreSQL (one SQLite file serves one relay).
describe('invite texts across relays on one PostgreSQL', () => {
  async function twoRelays(): Promise<[InviteSmsStore, InviteSmsStore]> {
    const db = await testDatabase(Engine.postgres);
    const a = await openStorage(db.target);
    const b = await openStorage(db.target);
    cleanups.push(db.drop, a.close, b.close);
    await startSession(a, 'sess_1');
    return [inviteSmsStore(a.database), inviteSmsStore(b.database)];
  }

  it("Twilio's callback reaching another relay is what the sidebar sees on either", async () => {
    const [a, b] = await twoRelays();
    await send(a, 'sess_1', SID, T0);
    expect((await b.viewOf('sess_1')).sms).toMatchObject({ state: 'sent', to: TO });
    expect(await b.applyStatus(SID, 'delivered', null)).toBe(true);
    // A late `sent` retried to the first relay does not take it back.
    expect(await a.applyStatus(SID, 'sent', null)).toBe(false);
    for (const relay of [a, b]) expect((await relay.viewOf('sess_1')).sms).toMatchObject({ state: 'delivered', errorCode: null });
  });

  it('callbacks racing through two relays end at the furthest status', async () => {
    const [a, b] = await twoRelays();
    for (let i = 0; i < 5; i++) {
      const sid = `SM${String(i).repeat(32)}`;
      await send(a, 'sess_1', sid, T0 + i);
      await Promise.all([a.applyStatus(sid, 'sent', null), b.applyStatus(sid, 'delivered', null), a.applyStatus(sid, 'sending', null)]);
      expect((await b.viewOf('sess_1')).sms).toMatchObject({ state: 'delivered' });
    }
  });

  it('the per-session cap holds across relays sending at once', async () => {
    const [a, b] = await twoRelays();
    const granted = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).reserve('sess_1', 5, T0)));
    expect(granted.filter((id) => id !== null)).toHaveLength(5);
  });
});
