import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Point } from '@live-assist/protocol';
import { useI18n } from '../../i18n/i18n';
import type { ConsoleSession, ConsoleState } from '../consoleSession';
import { ConsoleCamera } from './consoleCamera';

/** One ConsoleCamera per live console socket; disposed with it. An observer's only watches. */
export function useConsoleCamera(session: ConsoleSession | null, state: ConsoleState | null): ConsoleCamera | null {
  const socket = session?.relaySocket ?? null;
  const observing = state?.observing ?? false;
  const [camera, setCamera] = useState<ConsoleCamera | null>(null);
  useEffect(() => {
    if (!socket) return;
    const created = new ConsoleCamera({ socket, canControl: !observing });
    setCamera(created);
    return () => {
      created.dispose();
      setCamera((current) => (current === created ? null : current));
    };
  }, [socket, observing]);
  return camera;
}

const noop = () => () => undefined;

/** What the annotation surface takes while "Focus here" is armed: the next click, and a hint. */
export type FocusPick = { onPick(point: Point): void; hint: string };

/**
 * The surface's `pick` while focus is armed, else null. Reads only the armed flag, so the console
 * does not re-render while the zoom slider moves.
 */
export function useFocusPick(camera: ConsoleCamera | null): FocusPick | null {
  const { t } = useI18n();
  const read = () => camera?.state.get().focusArmed ?? false;
  const armed = useSyncExternalStore(camera?.state.subscribe ?? noop, read, read);
  const onPick = useCallback((point: Point) => camera?.focusAt(point[0], point[1]), [camera]);
  return useMemo(() => (armed ? { onPick, hint: t('camera.focusHint') } : null), [armed, onPick, t]);
}
