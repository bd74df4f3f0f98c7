import { useCallback, useEffect, useRef, useState } from 'react';

export const CopyState = { idle: 'idle', copied: 'copied', failed: 'failed' } as const;
export type CopyState = (typeof CopyState)[keyof typeof CopyState];

const FEEDBACK_MS = 2500;

/**
 * Copies text; falls back to selecting `fallbackInput` and the legacy copy command, because a
 * helpdesk iframe may not be granted `clipboard-write`.
 */
export function useCopy(fallbackInput: React.RefObject<HTMLInputElement | null>) {
  const [state, setState] = useState<CopyState>(CopyState.idle);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const copy = useCallback(
    async (text: string) => {
      let ok = false;
      try {
        await navigator.clipboard.writeText(text);
        ok = true;
      } catch {
        const input = fallbackInput.current;
        if (input) {
          input.focus();
          input.select();
          ok = document.execCommand('copy');
        }
      }
      setState(ok ? CopyState.copied : CopyState.failed);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setState(CopyState.idle), FEEDBACK_MS);
    },
    [fallbackInput],
  );

  return { state, copy };
}
