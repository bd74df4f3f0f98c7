import { useCallback, useState } from 'react';
import type { InviteView } from '@live-assist/protocol';
import { CustomerChatHolder } from '../chat/holder.js';
import { ChatHolderContext } from '../chat/useChat.js';
import { currentLanguage } from '../i18n/index.js';
import { App } from '../ui/App.js';
import { browserDeps } from './browserDeps.js';
import type { ApiFailure } from './api.js';
import { createCustomerCall } from './customerCall.js';

type Props = {
  inviteToken: string;
  /** The invite the customer accepted on the first screen; absent on a reload or a failed first load. */
  accepted?: InviteView;
  /** Why the link does not work, when the first screen already knows: the call app shows it without asking again. */
  linkFailure?: ApiFailure;
};

/**
 * Everything after consent: the call store, its relay socket, the media engine, chat and marks.
 * Loaded as its own chunk so the consent screen does not wait for it.
 */
export function CallApp({ inviteToken, accepted, linkFailure }: Props) {
  // The chat rides on the call's relay socket: every socket the call opens gets the chat bound.
  const [chat] = useState(() => new CustomerChatHolder(window.sessionStorage));
  const createStore = useCallback(() => {
    const deps = browserDeps(inviteToken, currentLanguage);
    return createCustomerCall({
      ...deps,
      ...(accepted ? { accepted } : {}),
      ...(linkFailure ? { linkFailure } : {}),
      openSocket: (token) => chat.bind(deps.openSocket(token), token),
    });
  }, [inviteToken, accepted, linkFailure, chat]);

  return (
    <ChatHolderContext.Provider value={chat}>
      <App createStore={createStore} accepted={accepted !== undefined} />
    </ChatHolderContext.Provider>
  );
}
