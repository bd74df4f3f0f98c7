import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../db/repository.js';
import { deleteSessionFiles } from './retention.js';
import { AuditAction, AuditActorKind, type PrivacyRepository, type SessionRef } from './types.js';

/** What an access request returns: one JSON document and the files it names. */
export interface TicketExport {
  ticketId: number;
  json: Record<string, unknown>;
  /** `zipPath`: where the file goes in the archive; `file`: where it is on disk. */
  files: { zipPath: string; file: string }[];
}

export interface AccessDeps {
  storage: Storage & { privacy: PrivacyRepository };
  dataDir: string;
  now: () => number;
  /** Who runs the export or erasure (the admin's name or id), for the audit log. */
  actor: string;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Files on disk in a session folder (uploads or write-back), by name. */
function folderFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort() : [];
}

async function exportSession(d: AccessDeps, ref: SessionRef): Promise<{ json: Record<string, unknown>; files: TicketExport['files'] }> {
  const s = d.storage;
  const session = await s.sessions.findById(ref.id);
  const uploads = await s.uploads.listForSession(ref.id);
  const chat = await s.chat.listAfter(ref.id, 0, Number.MAX_SAFE_INTEGER);
  const location = await s.journey.findLocation(ref.id);
  const note = await s.privacy.noteForSession(ref.id);
  const files: TicketExport['files'] = [];
  // Everything in the session's folders, whether or not a row still points at it.
  for (const area of ['uploads', 'writeback'] as const) {
    const dir = join(d.dataDir, area, ref.id);
    for (const name of folderFiles(dir)) files.push({ zipPath: `${ref.id}/${area}/${name}`, file: join(dir, name) });
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
      consents: (await s.journey.consents(ref.id)).map((c) => ({ ...c, consentedAt: iso(c.consentedAt) })),
      location: location ? { ...location, recordedAt: iso(location.recordedAt), ...('capturedAt' in location ? { capturedAt: iso(location.capturedAt) } : {}) } : null,
      chat: chat.map((m) => ({ seq: m.seq, from: m.from, senderName: m.senderName, text: m.text, replyToId: m.replyToId, attachmentIds: m.attachmentIds, createdAt: iso(m.createdAt) })),
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
      callNote: note ? { status: note.status, html: note.htmlBody, createdAt: iso(note.createdAt), writtenAt: iso(note.doneAt) } : null,
    },
  };
}

/** Collects what the relay holds for every session of the ticket and writes the export to the audit log. */
export async function exportTicket(d: AccessDeps, ticketId: number): Promise<TicketExport> {
  const refs = await d.storage.privacy.sessionsForTicket(ticketId);
  const sessions = [];
  const files: TicketExport['files'] = [];
  for (const ref of refs) {
    const one = await exportSession(d, ref);
    sessions.push(one.json);
    files.push(...one.files);
  }
  const now = d.now();
  const audit = await d.storage.privacy.auditForTicket(ticketId);
  await d.storage.privacy.appendAudit({
    at: now,
    actorKind: AuditActorKind.admin,
    actorId: d.actor,
    action: AuditAction.exported,
    account: refs[0]?.account ?? null,
    ticketId,
    sessionId: null,
    detail: { sessions: refs.map((r) => r.id), files: files.length },
  });
  return {
    ticketId,
    files,
    json: {
      exportedAt: iso(now),
      ticketId,
      sessions,
      auditLog: audit.map((e) => ({ ...e, at: iso(e.at) })),
    },
  };
}

/**
 * Deletes everything of every session of the ticket, live ones included (they end first), files
 * before rows. Each session's deletion and its audit entry are one transaction.
 */
export async function eraseTicket(d: AccessDeps, ticketId: number): Promise<{ sessionIds: string[]; endedLive: string[] }> {
  const refs = await d.storage.privacy.sessionsForTicket(ticketId);
  for (const ref of refs) {
    await deleteSessionFiles(d.dataDir, ref.id);
    await d.storage.privacy.eraseSession(ref.id, d.now(), {
      at: d.now(),
      actorKind: AuditActorKind.admin,
      actorId: d.actor,
      action: AuditAction.erased,
      account: ref.account,
      ticketId,
      sessionId: ref.id,
      detail: { wasLive: ref.status === 'active' },
    });
  }
  if (refs.length === 0) {
    // Nothing held is an answer too: the request and its outcome stay on record.
    await d.storage.privacy.appendAudit({ at: d.now(), actorKind: AuditActorKind.admin, actorId: d.actor, action: AuditAction.erased, account: null, ticketId, sessionId: null, detail: { sessions: [] } });
  }
  return { sessionIds: refs.map((r) => r.id), endedLive: refs.filter((r) => r.status === 'active').map((r) => r.id) };
}
