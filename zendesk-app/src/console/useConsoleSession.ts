import { useEffect, useState } from 'react';
import { ConsoleSession, type ConsoleDeps } from './consoleSession';

/**
 * One ConsoleSession per ticket for the component's lifetime; unmounting leaves the call.
 * Bumping `attempt` replaces it with a fresh one ("Try again").
 */
export function useConsoleSession(deps: ConsoleDeps, ticketId: number | null, attempt = 0, observe = false): ConsoleSession | null {
  const [session, setSession] = useState<ConsoleSession | null>(null);
  useEffect(() => {
    if (ticketId === null) return;
    const created = new ConsoleSession(deps);
    setSession(created);
    void created.start(ticketId, observe);
    return () => {
      created.dispose();
      setSession((current) => (current === created ? null : current));
    };
  }, [deps, ticketId, attempt, observe]);
  return session;
}
