import { useEffect, useState, useSyncExternalStore } from 'react';
import { ChatStore, createPhotoUploader, type ChatSnapshot, type ChatSocket } from '@live-assist/client-core';

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
