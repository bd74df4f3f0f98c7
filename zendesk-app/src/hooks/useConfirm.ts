import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Inline "are you sure?" state. The button that asked disappears while confirming, so focus goes
 * to Cancel and comes back to the asking button afterwards instead of falling to the page.
 */
export function useConfirm() {
  const [confirming, setConfirming] = useState(false);
  const askRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (asked.current) askRef.current?.focus();
  }, [confirming]);

  const ask = useCallback(() => {
    asked.current = true;
    setConfirming(true);
  }, []);
  const cancel = useCallback(() => setConfirming(false), []);

  return { confirming, ask, cancel, askRef, cancelRef };
}
