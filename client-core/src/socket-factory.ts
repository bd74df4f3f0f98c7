/**
 * The relay socket only needs these few operations, so tests can drive it with a fake and
 * non-browser callers (Node's `ws`) can plug in their own adapter.
 */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(code: number, reason: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

/** The device's own word on connectivity; phones know before a TCP connection does. */
export interface NetworkSignal {
  subscribe(onChange: (online: boolean) => void): () => void;
}

/** The window's `online`/`offline` events, or null outside a browser. */
export function browserNetworkSignal(): NetworkSignal | null {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return null;
  return {
    subscribe(onChange) {
      const offline = () => onChange(false);
      const online = () => onChange(true);
      window.addEventListener('offline', offline);
      window.addEventListener('online', online);
      return () => {
        window.removeEventListener('offline', offline);
        window.removeEventListener('online', online);
      };
    },
  };
}

/** Adapter for the browser's WebSocket. */
export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event: MessageEvent<unknown>) => {
    // The relay only sends text frames; anything else cannot be a protocol frame.
    if (typeof event.data === 'string') handlers.onMessage(event.data);
    else handlers.onMessage('');
  };
  ws.onclose = (event: CloseEvent) => handlers.onClose(event.code, event.reason);
  return ws;
};
