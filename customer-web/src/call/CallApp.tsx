import { useCallback, useState } from 'react';
import type { InviteView } from '@live-assist/protocol';
import { CustomerChatHolder } from '../chat/holder.js';
import { ChatHolderContext } from '../chat/useChat.js';
import { currentLanguage } from '../i18n/index.js';
import { App } from '../ui/App.js';
import { browserDeps } from './browserDeps.js';
import { createCustomerCall } from './customerCall.js';

type Props = {
  inviteToken: string;
  /** The invite the customer accepted on the first screen; absent on a reload or a failed first load. */
  accepted?: InviteView;
};

/**
 * Everything after consent: the call store, its relay socket, the media engine, chat and marks.
 * Loaded as its own chunk so the consent screen does not wait for it.
 */
export function CallApp({ inviteToken, accepted }: Props) {
  // The chat rides on the call's relay socket: every socket the call opens gets the chat bound.
  const [chat] = useState(() => new CustomerChatHolder(window.sessionStorage));
  const createStore = useCallback(() => {
    const deps = browserDeps(inviteToken, currentLanguage);
    return createCustomerCall({
      ...deps,
      ...(accepted ? { accepted } : {}),
      openSocket: (token) => chat.bind(deps.openSocket(token), token),
    });
  }, [inviteToken, accepted, chat]);

  return (
    <ChatHolderContext.Provider value={chat}>
      <App createStore={createStore} accepted={accepted !== undefined} />
    </ChatHolderContext.Provider>
  );
}
