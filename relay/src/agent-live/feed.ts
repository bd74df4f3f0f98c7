import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SessionStatus, type AgentLiveFrame } from '@live-assist/protocol';
import type { AgentSessionRecord, SessionRecord } from '../db/repository.js';
import { ApiFailure } from '../http/errors.js';
import type { Logger } from '../logger.js';
import type { SessionEvents } from '../sessions/events.js';
import type { SessionService } from '../sessions/service.js';
import { toTicketNoteStatus } from '../writeback/routes.js';
import type { OutboxStatus } from '../writeback/types.js';
import type { LiveTokens } from './token.js';

export interface AgentLiveDeps {
  sessions: SessionService;
  tokens: LiveTokens;
  /** The agent login a live token names (by its token hash), while it lasts. */
  agentByHash: (tokenHash: string) => Promise<AgentSessionRecord | null>;
  events: SessionEvents;
  /** Where the session's call note stands (null: this relay writes no notes). */
  noteStatus: (sessionId: string) => Promise<OutboxStatus | null>;
  log: Logger;
  /** How often each socket re-reads its session; events of this relay push at once. */
  intervalMs?: number;
}

export type Refusal = { status: number; text: string };

/**
 * The agent's live feed (`/ws/agent`, protocol/src/app-actions.ts): the session view and its note,
 * sent when they change. Everything is re-read from what every relay shares (the database, the
 * RoomHub's presence) every couple of seconds, so it works whichever relay of a cluster holds the
 * socket; this relay's own session events only make a change arrive sooner. The agent's ticket
 * access is re-checked on every read (the helpdesk answer is cached a minute).
 */
export function createAgentLive(deps: AgentLiveDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const intervalMs = deps.intervalMs ?? 2_000;

  async function frameOf(agent: AgentSessionRecord, sessionId: string): Promise<AgentLiveFrame> {
    const session: SessionRecord = await deps.sessions.findForAgent(agent, sessionId);
    const [view, note] = await Promise.all([deps.sessions.view(agent, session), deps.noteStatus(session.id)]);
    return { type: 'session', session: { ...view, specialistToken: null }, note: toTicketNoteStatus(note) };
  }

  /** Checks the token and the session before the upgrade; null: go ahead. */
  async function refusal(url: URL): Promise<{ refused: Refusal } | { agent: AgentSessionRecord; first: AgentLiveFrame }> {
    const claims = deps.tokens.verify(url.searchParams.get('token') ?? '');
    const agent = claims ? await deps.agentByHash(claims.tokenHash) : null;
    if (!claims || !agent) return { refused: { status: 401, text: 'Unauthorized' } };
    try {
      return { agent, first: await frameOf(agent, claims.sessionId) };
    } catch (error) {
      if (error instanceof ApiFailure)
        return { refused: { status: error.status === 403 ? 403 : 404, text: error.status === 403 ? 'Forbidden' : 'Not Found' } };
      throw error;
    }
  }

  function follow(ws: WebSocket, agent: AgentSessionRecord, first: AgentLiveFrame): void {
    const sessionId = first.session.sessionId;
    let last = '';
    let reading = false;
    const send = (frame: AgentLiveFrame) => {
      const text = JSON.stringify(frame);
      if (text === last || ws.readyState !== ws.OPEN) return;
      last = text;
      ws.send(text);
    };
    const refresh = () => {
      if (reading) return;
      reading = true;
      frameOf(agent, sessionId)
        .then(send)
        .catch((error: unknown) => {
          // Access gone, or the session erased: the feed stops; the app shows what it has.
          if (error instanceof ApiFailure) ws.close(4403, error.code);
          else deps.log.warn('agent live feed read failed', error);
        })
        .finally(() => {
          reading = false;
        });
    };
    send(first);
    const timer = setInterval(refresh, intervalMs);
    timer.unref();
    const onEvent = (event: { sessionId: string }) => {
      if (event.sessionId === sessionId) refresh();
    };
    const unsubscribe = [deps.events.on('ended', onEvent), deps.events.on('media-participant', onEvent)];
    ws.on('close', () => {
      clearInterval(timer);
      unsubscribe.forEach((off) => off());
    });
    ws.on('error', (err) => deps.log.warn(`agent live socket error: ${err.message}`));
    // An ended session whose note is written (or given up) will not change again.
    if (first.session.status === SessionStatus.ended && ['done', 'failed'].includes(first.note.state)) ws.close(1000, 'final');
  }

  return {
    async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, refuse: (r: Refusal) => void): Promise<void> {
      const checked = await refusal(url);
      if ('refused' in checked) {
        deps.log.info('agent live socket refused', { status: checked.refused.status });
        refuse(checked.refused);
        return;
      }
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => follow(ws, checked.agent, checked.first));
    },
    openSockets: () => wss.clients.size,
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

export type AgentLive = ReturnType<typeof createAgentLive>;
