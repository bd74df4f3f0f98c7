import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ChatStore, createPhotoUploader, photoDownloadLink, type ChatSnapshot, type ChatSocket } from '@live-assist/client-core';

export type ConsoleChatSource = {
  socket: ChatSocket;
  sessionId: string;
  specialistToken: string;
  relayUrl: string;
};

/** One ChatStore per relay socket of the console; a new socket (retry) gets a new chat. */
export function useConsoleChat(source: ConsoleChatSource | null): ChatStore | null {
  const [store, setStore] = useState<ChatStore | null>(null);
  const socket = source?.socket ?? null;
  const sessionId = source?.sessionId ?? null;
  const token = source?.specialistToken ?? null;
  const relayUrl = source?.relayUrl ?? null;
  useEffect(() => {
    if (!socket || !sessionId || !token || relayUrl === null) return;
    const created = new ChatStore({
      socket,
      role: 'specialist',
      uploader: createPhotoUploader({ baseUrl: relayUrl, sessionId, participantToken: token }),
    });
    // The console shows the chat open from the start.
    created.setOpen(true);
    setStore(created);
    return () => {
      created.dispose();
      setStore((current) => (current === created ? null : current));
    };
  }, [socket, sessionId, token, relayUrl]);
  return store;
}

const EMPTY: ChatSnapshot = { entries: [], unread: 0, open: false, lastSeq: 0, online: false };
const noop = () => () => undefined;

export function useChatSnapshot(store: ChatStore | null): ChatSnapshot {
  return useSyncExternalStore(store?.subscribe ?? noop, store?.getSnapshot ?? (() => EMPTY));
}

/**
 * Saves a session photo's original to the agent's computer. The relay records the download in the
 * audit log, then answers with a one-minute link the browser saves (`Content-Disposition`).
 */
export function usePhotoDownload(source: ConsoleChatSource | null): ((uploadId: string) => Promise<void>) | null {
  const sessionId = source?.sessionId ?? null;
  const token = source?.specialistToken ?? null;
  const relayUrl = source?.relayUrl ?? null;
  const download = useCallback(
    async (uploadId: string) => {
      if (!sessionId || !token || relayUrl === null) return;
      const url = await photoDownloadLink({ baseUrl: relayUrl, sessionId, participantToken: token }, uploadId);
      const link = Object.assign(document.createElement('a'), { href: url, download: '', rel: 'noopener' });
      document.body.append(link);
      link.click();
      link.remove();
    },
    [sessionId, token, relayUrl],
  );
  return sessionId && token && relayUrl !== null ? download : null;
}
