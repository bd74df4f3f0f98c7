import { useEffect, useRef } from 'react';
import type { ZafClient } from 'zendesk_app_framework_sdk';

/** Keeps the app iframe exactly as tall as its content (ZAF `resize`). */
export function useAutoResize<T extends HTMLElement>(client: ZafClient) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    let last = -1;
    const report = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      client.invoke('resize', { width: '100%', height: `${height}px` }).catch(() => {
        // A host without resize keeps its default height; the app still works inside it.
      });
    };
    const observer = new ResizeObserver(report);
    observer.observe(element);
    report();
    return () => observer.disconnect();
  }, [client]);
  return ref;
}
