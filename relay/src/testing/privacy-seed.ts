import sharp from 'sharp';
import { BlobArea, sessionKey, type BlobStore } from '../blobs/index.js';
import type { Storage } from '../db/repository.js';
import { inviteSmsStore } from '../delivery/store.js';
import { rows, run } from './db.js';
import { UploadService } from '../uploads/service.js';
import { OutboxStore } from '../writeback/store.js';
import { callNoteKey } from '../writeback/call-notes.js';

/** Where a seeded call stands: live, over with its note pending, or over with its note written. */
export type SeedState = 'live' | 'note-pending' | 'note-done';

export interface SeededCall {
  sessionId: string;
  uploadIds: string[];
}

let counter = 0;

/** What the Bulgarian consent screen said (shortened). */
export const SEED_CONSENT_TEXT =
  'Нека го разгледаме заедно\nПрочетете политиката за поверителност (версия 2024-01): https://wilo.example/privacy\nПриемам политиката за поверителност';

async function jpeg(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 12, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

/**
 * A call with everything the relay keeps about it, written through the features' own repositories
 * and the upload service (files in `blobs`): consent, location, chat, a photo, a freeze still, a
 * snapshot, marks, participant tokens, an invite text and (when over) the note in the outbox with a
 * transcript file.
 * Seed calls one at a time: settling a note claims the next due one, which under concurrent seeding
 * may be another call's, leaving that one leased and never written.
 */
export async function seedCall(
  storage: Storage,
  blobs: BlobStore,
  opts: { ticketId: number; at: number; state: SeedState; account?: string; agentId?: string; requesterEmail?: string | null },
): Promise<SeededCall> {
  counter += 1;
  const sessionId = `sess-${opts.ticketId}-${counter}`;
  const at = opts.at;
  await storage.sessions.startForTicket({
    id: sessionId,
    account: opts.account ?? 'acme.zendesk.com',
    ticketId: opts.ticketId,
    status: 'active',
    inviteTokenHash: `invite-${sessionId}`,
    expiresAt: at + 24 * 3600_000,
    createdAt: at,
    endedAt: null,
    endReason: null,
    agentId: opts.agentId ?? '9001',
    agentName: 'Ada Agent',
    agentLocale: 'en-US',
    requesterEmail: opts.requesterEmail ?? null,
  });
  await storage.participants.add({ tokenHash: `cust-${sessionId}`, sessionId, role: 'customer', createdAt: at, expiresAt: null });
  await storage.participants.add({ tokenHash: `spec-${sessionId}`, sessionId, role: 'specialist', createdAt: at, expiresAt: null });
  await storage.journey.recordConsent({
    sessionId,
    policyVersion: '2024-01',
    locale: 'bg',
    consentText: SEED_CONSENT_TEXT,
    userAgent: 'Mozilla/5.0 (Android)',
    consentedAt: at + 1000,
  });
  await storage.journey.recordLocation(
    sessionId,
    { outcome: 'shared', latitude: 42.6977, longitude: 23.3219, accuracy: 12, capturedAt: at + 2000 },
    at + 2000,
  );
  const uploads = new UploadService({
    repo: storage.uploads,
    blobs,
    secret: new Uint8Array(32),
    publicUrl: 'http://localhost',
    now: () => at + 3000,
  });
  const photo = await uploads.store(sessionId, 'photo', 'customer', await jpeg('#c03030'));
  const still = await uploads.store(sessionId, 'still', 'specialist', await jpeg('#30c030'));
  const snapshot = await uploads.store(sessionId, 'snapshot', 'specialist', await jpeg('#3030c0'));
  await storage.chat.append({
    id: `msg-${sessionId}`,
    sessionId,
    clientId: 'c1',
    from: 'customer',
    senderName: 'Carla',
    text: `The pump on ticket ${opts.ticketId} hums`,
    replyToId: null,
    attachmentIds: [photo.id],
    createdAt: at + 4000,
  });
  await storage.annotations.save(sessionId, { marks: [], freeze: null, snapshots: [] });
  const texts = inviteSmsStore(storage.database);
  const attempt = await texts.reserve(sessionId, 5, at + 500);
  if (attempt === null) throw new Error('the seeded call could not text its customer');
  const messageSid = `SM${counter.toString(16).padStart(32, '0')}`;
  await texts.accepted(attempt, { messageSid, to: '+359 ••• ••• 456', sentAt: at + 500 });
  await texts.applyStatus(messageSid, 'delivered', null);
  await run(
    storage.database,
    'INSERT INTO writeback_calls (session_id, customer_joined_at, call_started_at) VALUES (?, ?, ?)',
    sessionId,
    at + 1000,
    at + 1500,
  );
  if (opts.state === 'live') return { sessionId, uploadIds: [photo.id, still.id, snapshot.id] };

  const endedAt = at + 60_000;
  await storage.sessions.end(sessionId, endedAt, 'ended-by-specialist');
  await run(storage.database, 'UPDATE writeback_calls SET ended_at = ?, enqueued_at = ? WHERE session_id = ?', endedAt, endedAt, sessionId);
  await blobs.put(sessionKey(BlobArea.writeback, sessionId, 'chat.txt'), Buffer.from('Carla: The pump hums'));
  const outbox = new OutboxStore(storage.database, 'seed', 60_000);
  await outbox.enqueue(
    {
      opKey: callNoteKey(sessionId),
      ticketId: opts.ticketId,
      htmlBody: '<p>Carla: The pump hums. Location 42.6977, 23.3219</p>',
      attachments: [{ fileName: 'photo.jpg', contentType: 'image/jpeg', blobKey: uploads.blobKey(photo, 'original') }],
    },
    endedAt,
  );
  if (opts.state === 'note-done') {
    // As a relay does it: claim, then settle.
    await outbox.claimNext(endedAt);
    await outbox.markDone(callNoteKey(sessionId), endedAt + 1000);
  }
  return { sessionId, uploadIds: [photo.id, still.id, snapshot.id] };
}

/** Rows that hold a session's personal data, per table (0 everywhere once purged). */
export async function personalRows(storage: Storage, sessionId: string): Promise<Record<string, number>> {
  const count = async (sql: string, arg: string): Promise<number> => Number((await rows<{ n: number }>(storage.database, sql, arg))[0]?.n);
  return {
    uploads: await count('SELECT COUNT(*) AS n FROM uploads WHERE session_id = ?', sessionId),
    chat: await count('SELECT COUNT(*) AS n FROM chat_messages WHERE session_id = ?', sessionId),
    locations: await count('SELECT COUNT(*) AS n FROM journey_locations WHERE session_id = ?', sessionId),
    marks: await count('SELECT COUNT(*) AS n FROM annotation_state WHERE session_id = ?', sessionId),
    tokens: await count('SELECT COUNT(*) AS n FROM participant_tokens WHERE session_id = ?', sessionId),
    texts: await count('SELECT COUNT(*) AS n FROM invite_sms WHERE session_id = ?', sessionId),
    noteFiles: await count('SELECT COUNT(*) AS n FROM writeback_attachments WHERE op_key = ?', callNoteKey(sessionId)),
    noteText: await count(`SELECT COUNT(*) AS n FROM writeback_ops WHERE op_key = ? AND html_body <> ''`, callNoteKey(sessionId)),
  };
}

/** Names of the session's files, per area (empty everywhere once its personal data is gone). */
export async function sessionFiles(blobs: BlobStore, sessionId: string): Promise<{ uploads: string[]; writeback: string[] }> {
  const names = async (area: BlobArea) => (await blobs.list(`${area}/${sessionId}`)).map((k) => k.slice(k.lastIndexOf('/') + 1));
  return { uploads: await names(BlobArea.uploads), writeback: await names(BlobArea.writeback) };
}
