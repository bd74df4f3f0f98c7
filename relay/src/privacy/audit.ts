import { Role } from '@live-assist/protocol';
import type { SessionReader } from '../writeback/record.js';
import type { Logger } from '../logger.js';
import type { FrameOf, FrameType, RoomFeatureFactory } from '../rooms/feature.js';
import type { SessionEvents } from '../sessions/events.js';
import { AuditAction, AuditActorKind, type PrivacyRepository } from './types.js';

export interface AuditDeps {
  repo: PrivacyRepository;
  sessions: SessionReader;
  now: () => number;
  log?: Logger;
}

/**
 * Writes an entry naming the session's agent. The specialist seat is the agent who started the
 * session (the only seat a specialist token opens), so that is who froze or snapshotted.
 */
async function auditAsAgent(
  d: AuditDeps,
  sessionId: string,
  action: AuditAction,
  at: number,
  detail: Record<string, unknown> | null,
): Promise<void> {
  const session = await d.sessions.findById(sessionId);
  if (!session) return;
  await d.repo.appendAudit({
    at,
    actorKind: AuditActorKind.agent,
    actorId: session.agentId,
    action,
    account: session.account,
    ticketId: session.ticketId,
    sessionId,
    detail,
  });
}

/** Session starts and ends go to the audit log; returns the unsubscribe function. */
export function auditSessionEvents(events: SessionEvents, d: AuditDeps): () => void {
  const offStarted = events.on('started', (e) => auditAsAgent(d, e.sessionId, AuditAction.sessionStarted, e.at, null));
  const offEnded = events.on('ended', async (e) => {
    if (e.reason === 'ended-by-specialist') {
      await auditAsAgent(d, e.sessionId, AuditAction.sessionEnded, e.at, { reason: e.reason });
      return;
    }
    const session = await d.sessions.findById(e.sessionId);
    if (!session) return;
    await d.repo.appendAudit({
      at: e.at,
      actorKind: e.reason === 'ended-by-customer' ? AuditActorKind.customer : AuditActorKind.system,
      actorId: e.reason === 'ended-by-customer' ? 'customer' : 'relay',
      action: AuditAction.sessionEnded,
      account: session.account,
      ticketId: session.ticketId,
      sessionId: e.sessionId,
      detail: { reason: e.reason },
    });
  });
  return () => {
    offStarted();
    offEnded();
  };
}

/**
 * Wraps the annotations feature: a freeze or snapshot the specialist sent, and the feature
 * accepted (its handler did not throw), is written to the audit log. A failed audit write is
 * logged; it never turns an accepted frame into an error.
 */
export function auditedAnnotations<T extends FrameType>(inner: RoomFeatureFactory<T>, d: AuditDeps): RoomFeatureFactory<T> {
  const actions: Partial<Record<string, AuditAction>> = { freeze: AuditAction.freeze, 'snapshot-taken': AuditAction.snapshot };
  return (session) => {
    const feature = inner(session);
    // Delegation, not a spread: the feature may be a class whose hooks live on its prototype.
    return {
      frameTypes: feature.frameTypes,
      ...(feature.joined ? { joined: (role, room) => feature.joined!(role, room) } : {}),
      ...(feature.left ? { left: (role, room) => feature.left!(role, room) } : {}),
      ...(feature.ended ? { ended: () => feature.ended!() } : {}),
      ...(feature.observerJoined ? { observerJoined: (room) => feature.observerJoined!(room) } : {}),
      handle(frame, from, room) {
        const action = actions[frame.type];
        // Pointer frames pass here 30 times a second per call: a frame that is not audited is
        // handed on as it is, with no promise of ours around a handler that needs none.
        if (action === undefined || from.role !== Role.specialist) return feature.handle(frame, from, room);
        const seen = frame as FrameOf<FrameType>;
        const detail = seen.type === 'snapshot-taken' ? { uploadId: seen.uploadId } : null;
        return (async () => {
          await feature.handle(frame, from, room);
          await auditAsAgent(d, session.sessionId, action, d.now(), detail).catch((err: unknown) =>
            d.log?.error('audit write failed', err),
          );
        })();
      },
    };
  };
}

/**
 * An agent saves a customer's photo, still or snapshot to their computer: once it leaves the relay
 * nobody can take it back, so the audit entry is written before the download link is handed out.
 */
export function auditPhotoDownload(d: AuditDeps): (sessionId: string, upload: { id: string; purpose: string }) => Promise<void> {
  return (sessionId, upload) =>
    auditAsAgent(d, sessionId, AuditAction.photoDownloaded, d.now(), { uploadId: upload.id, purpose: upload.purpose });
}
