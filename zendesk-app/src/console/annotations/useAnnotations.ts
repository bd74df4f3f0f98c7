import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AnnotationModel } from '@live-assist/client-core';
import type { ConsoleSession, ConsoleState } from '../consoleSession';
import { ConsoleAnnotations } from './consoleAnnotations';

/** One ConsoleAnnotations per live console socket; disposed with it. */
export function useConsoleAnnotations(
  session: ConsoleSession | null,
  state: ConsoleState | null,
  relayUrl: string,
): ConsoleAnnotations | null {
  const socket = session?.relaySocket ?? null;
  const sessionId = state?.session?.sessionId ?? null;
  // An observer's annotations only show marks; its token is never used to upload.
  const token = session?.watchToken ?? state?.session?.specialistToken ?? null;
  const [annotations, setAnnotations] = useState<ConsoleAnnotations | null>(null);
  useEffect(() => {
    if (!session || !socket || !sessionId || !token) return;
    const created = new ConsoleAnnotations({
      socket,
      sessionId,
      specialistToken: token,
      relayUrl,
      lane: session.lane,
      watched: () => session.state.get().observers.length > 0,
      // An observer's console shows the marks where the seat holder's tracker puts them.
      ...(session.watchToken ? { anchoring: false as const } : {}),
    });
    setAnnotations(created);
    return () => {
      created.dispose();
      setAnnotations((current) => (current === created ? null : current));
    };
  }, [session, socket, sessionId, token, relayUrl]);
  return annotations;
}

/** Re-renders on every model change (marks, freeze, snapshots). */
export function useModelRevision(model: AnnotationModel | null): number {
  return useSyncExternalStore(
    (cb) => model?.on('change', cb) ?? (() => undefined),
    () => model?.revision ?? 0,
  );
}

const noop = () => () => undefined;

/** Re-renders when the picture freezes or unfreezes, not for every mark drawn. */
export function useFrozen(model: AnnotationModel | null): boolean {
  const frozen = () => (model?.freeze ?? null) !== null;
  return useSyncExternalStore((cb) => model?.on('change', cb) ?? noop(), frozen, frozen);
}
