import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatSnapshot, ChatStore } from '@live-assist/client-core';
import type { CustomerChatHolder } from './holder.js';

export const ChatHolderContext = createContext<CustomerChatHolder | null>(null);

const EMPTY: ChatSnapshot = { entries: [], unread: 0, open: false, lastSeq: 0, online: false };
const noop = () => () => undefined;

/** The page's chat store, or null before the customer has joined. */
export function useChatStore(): ChatStore | null {
  const holder = useContext(ChatHolderContext);
  return useSyncExternalStore(holder?.subscribe ?? noop, holder?.current ?? (() => null));
}

export function useChatSnapshot(store: ChatStore | null): ChatSnapshot {
  return useSyncExternalStore(store?.subscribe ?? noop, store?.getSnapshot ?? (() => EMPTY));
}
