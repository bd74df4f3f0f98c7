import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { FreezeStatus } from '@live-assist/protocol';
import type { ConsoleAnnotations } from '../annotations';
import type { ReadTextTool } from '../annotations/AnnotationToolbar';
import type { ConsoleSession, ConsoleState } from '../consoleSession';
import { ConsoleNameplate, PlatePhase } from './consoleNameplate';

/**
 * One ConsoleNameplate per live console socket, for the specialist who holds the seat (an
 * observer has no tool); it follows the frozen still of the annotation model.
 */
export function useConsoleNameplate(
  session: ConsoleSession | null,
  state: ConsoleState | null,
  relayUrl: string,
  annotations: ConsoleAnnotations | null,
): ConsoleNameplate | null {
  const socket = session?.relaySocket ?? null;
  const sessionId = state?.session?.sessionId ?? null;
  const token = state?.observing ? null : (state?.session?.specialistToken ?? null);
  const [nameplate, setNameplate] = useState<ConsoleNameplate | null>(null);
  useEffect(() => {
    if (!socket || !sessionId || !token || !annotations) return;
    const created = new ConsoleNameplate({ socket, sessionId, specialistToken: token, relayUrl });
    const model = annotations.model;
    const follow = () => {
      const freeze = model.freeze;
      const still = freeze?.status === FreezeStatus.ready ? freeze.still : null;
      created.setStill(still ? { id: still.id, url: still.url, width: still.width, height: still.height } : null);
    };
    follow();
    const off = model.on('change', follow);
    setNameplate(created);
    return () => {
      off();
      created.dispose();
      setNameplate((current) => (current === created ? null : current));
    };
  }, [socket, sessionId, token, relayUrl, annotations]);
  return nameplate;
}

const noop = () => () => undefined;

/**
 * The tool bar's Read text while a still is frozen, else null. Reads only whether it is offered and
 * armed, so typing in the panel does not re-render the tool bar.
 */
export function useReadTextTool(nameplate: ConsoleNameplate | null): ReadTextTool | null {
  const read = () => {
    const s = nameplate?.state.get();
    if (!s?.available) return 'none';
    return s.phase === PlatePhase.selecting || s.phase === PlatePhase.boxed ? 'active' : 'idle';
  };
  const mode = useSyncExternalStore(nameplate?.state.subscribe ?? noop, read, read);
  return useMemo(
    () =>
      nameplate && mode !== 'none'
        ? { active: mode === 'active', toggle: () => nameplate.toggle(), release: () => nameplate.release() }
        : null,
    [nameplate, mode],
  );
}

/** Read text is in use (a box on the still, or its panel): the console keeps the still clear. */
export function usePlateOpen(nameplate: ConsoleNameplate | null): boolean {
  const read = () => (nameplate?.state.get().phase ?? PlatePhase.off) !== PlatePhase.off;
  return useSyncExternalStore(nameplate?.state.subscribe ?? noop, read, read);
}
