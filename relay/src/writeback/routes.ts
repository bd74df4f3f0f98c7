import { Router } from 'express';
import type { CallNoteView, TicketNoteStatus } from '@live-assist/protocol';
import { agentOf, requireAgent } from '../http/agent-auth.js';
import type { SessionService } from '../sessions/service.js';
import type { OutboxStatus } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function toTicketNoteStatus(status: OutboxStatus | null): TicketNoteStatus {
  const none = { attempts: 0, nextAttemptAt: null, lastError: null, doneAt: null };
  if (!status) return { state: 'none', ...none };
  switch (status.state) {
    case 'pending':
      return { ...none, state: 'pending', attempts: status.attempts };
    case 'retrying':
      return {
        ...none,
        state: 'retrying',
        attempts: status.attempts,
        nextAttemptAt: iso(status.nextAttemptAt),
        lastError: status.lastError,
      };
    case 'done':
      return { ...none, state: 'done', attempts: status.attempts, doneAt: iso(status.doneAt) };
    case 'failed':
      return { ...none, state: 'failed', attempts: status.attempts, lastError: status.lastError };
  }
}

/** `GET /api/sessions/:sessionId/note`: where the session's internal note stands (sidebar). */
export function writebackRoutes(d: {
  sessions: SessionService;
  noteStatus(sessionId: string): Promise<OutboxStatus | null>;
  callStartedAt(sessionId: string): Promise<number | null>;
}): Router {
  const router = Router();
  router.get('/api/sessions/:sessionId/note', requireAgent(d.sessions), async (req, res) => {
    const session = await d.sessions.findForAgent(agentOf(res), String(req.params.sessionId));
    const [started, note] = await Promise.all([d.callStartedAt(session.id), d.noteStatus(session.id)]);
    const view: CallNoteView = {
      callStartedAt: started === null ? null : iso(started),
      note: toTicketNoteStatus(note),
    };
    res.set('Cache-Control', 'no-store').json(view);
  });
  return router;
}
