import { createHash } from 'node:crypto';
import { BlobArea, sessionFolder, type BlobStore } from '../blobs/index.js';
import { requesterEmailKey, type Storage } from '../db/repository.js';
import { inviteSmsStore } from '../delivery/store.js';
import { deleteSessionFiles } from './retention.js';
import { AuditAction, AuditActorKind, type AuditEntry, type PrivacyRepository, type SessionRef } from './types.js';

/** What an access request returns: one JSON document and the files it names. */
export interface PrivacyExport {
  sessionCount: number;
  json: Record<string, unknown>;
  /** `zipPath`: where the file goes in the archive; `key`: where it is in the blob store. */
  files: { zipPath: string; key: string }[];
}

export interface AccessDeps {
  storage: Storage & { privacy: PrivacyRepository };
  blobs: BlobStore;
  now: () => number;
  /** Who runs the export or erasure (the admin's name or id), for the audit log. */
  actor: string;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

async function exportSession(d: AccessDeps, ref: SessionRef): Promise<{ json: Record<string, unknown>; files: PrivacyExport['files'] }> {
  const s = d.storage;
  const session = await s.sessions.findById(ref.id);
  const uploads = await s.uploads.listForSession(ref.id);
  const chat = await s.chat.listAfter(ref.id, 0, Number.MAX_SAFE_INTEGER);
  const location = await s.journey.findLocation(ref.id);
  const note = await s.privacy.noteForSession(ref.id);
  const texts = await inviteSmsStore(s.database).listForSession(ref.id);
  const files: PrivacyExport['files'] = [];
  // Everything in the session's folders, whether or not a row still points at it.
  for (const area of Object.values(BlobArea)) {
    for (const key of await d.blobs.list(sessionFolder(area, ref.id))) {
      files.push({ zipPath: `${ref.id}/${area}/${key.slice(key.lastIndexOf('/') + 1)}`, key });
    }
  }
  return {
    files,
    json: {
      sessionId: ref.id,
      account: ref.account,
      ticketId: ref.ticketId,
      status: ref.status,
      createdAt: iso(session?.createdAt),
      endedAt: iso(session?.endedAt),
      endReason: session?.endReason ?? null,
      agent: session ? { id: session.agentId, name: session.agentName } : null,
      requesterEmail: session?.requesterEmail ?? null,
      consents: (await s.journey.consents(ref.id)).map((c) => ({ ...c, consentedAt: iso(c.consentedAt) })),
      location: location
        ? {
            ...location,
            recordedAt: iso(location.recordedAt),
            ...('capturedAt' in location ? { capturedAt: iso(location.capturedAt) } : {}),
          }
        : null,
      chat: chat.map((m) => ({
        seq: m.seq,
        from: m.from,
        senderName: m.senderName,
        text: m.text,
        replyToId: m.replyToId,
        attachmentIds: m.attachmentIds,
        createdAt: iso(m.createdAt),
      })),
      uploads: uploads.map((u) => ({
        id: u.id,
        purpose: u.purpose,
        uploaderRole: u.uploaderRole,
        contentType: u.contentType,
        bytes: u.bytes,
        width: u.width,
        height: u.height,
        original: `${ref.id}/uploads/${u.originalFile}`,
        preview: `${ref.id}/uploads/${u.previewFile}`,
        createdAt: iso(u.createdAt),
      })),
      annotations: await s.annotations.load(ref.id),
      nameplates: s.nameplates
        ? (await s.nameplates.list(ref.id)).map((p) => ({ uploadId: p.uploadId, ...p.values, confirmedAt: iso(p.updatedAt) }))
        : [],
      inviteTexts: texts.map((t) => ({
        to: t.to,
        sentAt: iso(t.sentAt),
        status: t.status,
        errorCode: t.errorCode,
        twilioMessageSid: t.messageSid,
      })),
      callNote: note ? { status: note.status, html: note.htmlBody, createdAt: iso(note.createdAt), writtenAt: iso(note.doneAt) } : null,
    },
  };
}

/** Whose data a request is about: one ticket, or one requester by email. */
export type AccessSubject = { ticketId: number } | { email: string };

/**
 * The audit log keeps a SHA-256 of the trimmed, lower-cased address, never the address: an
 * erasure must not leave the erased email behind in a log kept for years. Whoever holds the
 * request can hash the address in it and find its entries.
 */
export function requesterEmailHash(email: string): string {
  return createHash('sha256').update(requesterEmailKey(email), 'utf8').digest('hex');
}

async function sessionsOf(d: AccessDeps, subject: AccessSubject): Promise<SessionRef[]> {
  return 'ticketId' in subject
    ? d.storage.privacy.sessionsForTicket(subject.ticketId)
    : d.storage.privacy.sessionsForRequester(requesterEmailKey(subject.email));
}

/** What an audit entry says about how the sessions were found (nothing for a ticket: the entry names it). */
const lookupDetail = (subject: AccessSubject): Record<string, unknown> =>
  'email' in subject ? { lookup: 'requester-email', requesterEmailSha256: requesterEmailHash(subject.email) } : {};

/** Tickets the sessions belong to, each once, in the order first seen (ticket numbers are per account). */
function ticketsOf(refs: SessionRef[]): { account: string; ticketId: number; sessions: SessionRef[] }[] {
  const byTicket = new Map<string, { account: string; ticketId: number; sessions: SessionRef[] }>();
  for (const ref of refs) {
    const key = `${ref.account} ${ref.ticketId}`;
    const entry = byTicket.get(key) ?? { account: ref.account, ticketId: ref.ticketId, sessions: [] };
    entry.sessions.push(ref);
    byTicket.set(key, entry);
  }
  return [...byTicket.values()];
}

/**
 * Collects what the relay holds for every session of the ticket, or of the requester, and writes
 * the export to the audit log: one entry per ticket it touched (so each ticket's history shows it),
 * or one without a ticket when nothing was found.
 */
export async function exportData(d: AccessDeps, subject: AccessSubject): Promise<PrivacyExport> {
  const refs = await sessionsOf(d, subject);
  const sessions = [];
  const files: PrivacyExport['files'] = [];
  for (const ref of refs) {
    const one = await exportSession(d, ref);
    sessions.push(one.json);
    files.push(...one.files);
  }
  const now = d.now();
  const tickets =
    'ticketId' in subject ? [{ account: refs[0]?.account ?? null, ticketId: subject.ticketId, sessions: refs }] : ticketsOf(refs);
  const ids = new Set(refs.map((r) => r.id));
  // A ticket's whole history answers a request about the ticket; a request about a person gets the
  // entries about their sessions, not about another requester's call on the same ticket.
  const concerns = (e: AuditEntry): boolean =>
    'ticketId' in subject ||
    (e.sessionId !== null
      ? ids.has(e.sessionId)
      : Array.isArray(e.detail?.sessions) && e.detail.sessions.some((id) => ids.has(id as string)));
  const auditLog: AuditEntry[] = [];
  for (const ticketId of new Set(tickets.map((t) => t.ticketId)))
    auditLog.push(...(await d.storage.privacy.auditForTicket(ticketId)).filter(concerns));
  auditLog.sort((a, b) => a.at - b.at || a.id - b.id);
  const entries = tickets.length > 0 ? tickets : [{ account: null, ticketId: null, sessions: [] }];
  for (const t of entries) {
    await d.storage.privacy.appendAudit({
      at: now,
      actorKind: AuditActorKind.admin,
      actorId: d.actor,
      action: AuditAction.exported,
      account: t.account,
      ticketId: t.ticketId,
      sessionId: null,
      detail: {
        ...lookupDetail(subject),
        sessions: t.sessions.map((r) => r.id),
        files: files.filter((f) => t.sessions.some((r) => f.zipPath.startsWith(`${r.id}/`))).length,
      },
    });
  }
  return {
    sessionCount: refs.length,
    files,
    json: {
      exportedAt: iso(now),
      ...('ticketId' in subject ? { ticketId: subject.ticketId } : { requesterEmail: requesterEmailKey(subject.email) }),
      sessions,
      auditLog: auditLog.map((e) => ({ ...e, at: iso(e.at) })),
    },
  };
}

/**
 * Deletes everything of every session of the ticket, or of the requester, live ones included (they
 * end first), files before rows. Each session's deletion and its audit entry are one transaction.
 */
export async function eraseData(d: AccessDeps, subject: AccessSubject): Promise<{ sessionIds: string[]; endedLive: string[] }> {
  const refs = await sessionsOf(d, subject);
  for (const ref of refs) {
    await deleteSessionFiles(d.blobs, ref.id);
    await d.storage.privacy.eraseSession(ref.id, d.now(), {
      at: d.now(),
      actorKind: AuditActorKind.admin,
      actorId: d.actor,
      action: AuditAction.erased,
      account: ref.account,
      ticketId: ref.ticketId,
      sessionId: ref.id,
      detail: { ...lookupDetail(subject), wasLive: ref.status === 'active' },
    });
  }
  if (refs.length === 0) {
    // Nothing held is an answer too: the request and its outcome stay on record.
    await d.storage.privacy.appendAudit({
      at: d.now(),
      actorKind: AuditActorKind.admin,
      actorId: d.actor,
      action: AuditAction.erased,
      account: null,
      ticketId: 'ticketId' in subject ? subject.ticketId : null,
      sessionId: null,
      detail: { ...lookupDetail(subject), sessions: [] },
    });
  }
  return { sessionIds: refs.map((r) => r.id), endedLive: refs.filter((r) => r.status === 'active').map((r) => r.id) };
}
