import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browserDeps, inviteTokenFromPath } from './call/browserDeps.js';
import { createCustomerCall } from './call/customerCall.js';
import { CustomerChatHolder } from './chat/holder.js';
import { ChatHolderContext } from './chat/useChat.js';
import { currentLanguage, detectLanguage, initI18n } from './i18n/index.js';
import { brandStyle } from './ui/brand.js';
import { App } from './ui/App.js';
import { InvalidScreen } from './ui/screens/InfoScreens.js';
import './styles.css';

async function boot(): Promise<void> {
  await initI18n(detectLanguage(window.location.search, navigator.languages ?? [navigator.language]));
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('#root is missing from index.html');
  const root = createRoot(rootElement);
  const inviteToken = inviteTokenFromPath(window.location.pathname);

  if (!inviteToken) {
    root.render(
      <StrictMode>
        <div className="app" style={brandStyle(undefined)}>
          <InvalidScreen reason="not-found" onRetry={() => window.location.reload()} />
        </div>
      </StrictMode>,
    );
    return;
  }

  // The chat rides on the call's relay socket: every socket the call opens gets the chat bound.
  const chat = new CustomerChatHolder(window.sessionStorage);
  const createStore = () => {
    const deps = browserDeps(inviteToken, currentLanguage);
    return createCustomerCall({
      ...deps,
      openSocket: (token) => chat.bind(deps.openSocket(token), token),
    });
  };

  root.render(
    <StrictMode>
      <ChatHolderContext.Provider value={chat}>
        <App createStore={createStore} />
      </ChatHolderContext.Provider>
    </StrictMode>,
  );
}

void boot();
