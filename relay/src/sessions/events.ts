import type { Role } from '@live-assist/protocol';
import type { SessionEndReason } from '../db/repository.js';
import type { Logger } from '../logger.js';

/**
 * What happens to sessions, for whoever reacts to it outside the request that caused it (Twilio
 * rooms, the ticket write-back). Listeners run after the fact: they cannot veto or delay anything.
 */
export type SessionEventMap = {
  /** A session was created for a ticket (the agent pressed "Start video"). */
  started: { sessionId: string; account: string; ticketId: number; at: number };
  /** The session is over: ended by the specialist, or replaced by a newer session of the ticket. */
  ended: { sessionId: string; reason: SessionEndReason; at: number };
  /**
   * A participant joined or left the media room (Twilio status callbacks; the P2P path has no
   * media server, so it reports presence through the WebSocket only).
   */
  'media-participant': { sessionId: string; role: Role; connected: boolean; at: number; durationSeconds: number | null };
  /** The media room of the session closed (after the session ended, or Twilio closed it when empty). */
  'media-ended': { sessionId: string; at: number; durationSeconds: number | null };
};

export type SessionEventName = keyof SessionEventMap;
type Listener<K extends SessionEventName> = (event: SessionEventMap[K]) => void | Promise<void>;

/** A small typed event bus; one per relay app (`RelayApp.sessionEvents`). */
export class SessionEvents {
  private readonly listeners = new Map<SessionEventName, Set<Listener<never>>>();

  constructor(private readonly log?: Logger) {}

  /** Returns the unsubscribe function. */
  on<K extends SessionEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  /** A failing listener is logged and never reaches the emitter (the request that ended a session still succeeds). */
  emit<K extends SessionEventName>(name: K, event: SessionEventMap[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        const result = (listener as Listener<K>)(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.log?.error(`session event ${name} listener failed`, err));
      } catch (err) {
        this.log?.error(`session event ${name} listener failed`, err);
      }
    }
  }
}
