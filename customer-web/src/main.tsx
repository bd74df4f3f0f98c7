// The shared base first: every component's own CSS comes after it in the bundle and wins ties.
import './ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { firstInvite } from './call/embeddedInvite.js';
import { inviteTokenFromPath } from './call/inviteToken.js';
import { getInvite } from './call/request.js';
import { seatStorageKey } from './call/seat.js';
import { ConsentGate } from './consent/ConsentGate.js';
import { detectLanguage, initI18n } from './i18n/index.js';
import { brandStyle } from './ui/brand.js';
import { InvalidScreen } from './ui/screens/InfoScreens.js';

/**
 * The entry chunk holds only what the consent screen needs (React, i18n, the invite check); the
 * call loads after it (ConsentGate). A build check keeps this chunk within its byte budget.
 */
async function boot(): Promise<void> {
  const inviteToken = inviteTokenFromPath(window.location.pathname);
  // A browser that already holds a seat goes straight back to its call (ConsentGate).
  const hasSeat = inviteToken !== null && window.sessionStorage.getItem(seatStorageKey(inviteToken)) !== null;
  // The relay sends the invite with the page and preloads the language bundle, so on a slow link
  // nothing waits for another round trip. Without that answer the invite is asked for while the
  // language loads.
  const invite = inviteToken && !hasSeat ? firstInvite(document, () => getInvite('', inviteToken)) : null;
  await initI18n(detectLanguage(window.location.search, navigator.languages ?? [navigator.language]));
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('#root is missing from index.html');
  const root = createRoot(rootElement);

  root.render(
    <StrictMode>
      {inviteToken ? (
        <ConsentGate inviteToken={inviteToken} invite={invite} />
      ) : (
        <div className="app" style={brandStyle(undefined)}>
          <InvalidScreen reason="not-found" onRetry={() => window.location.reload()} />
        </div>
      )}
    </StrictMode>,
  );
}

void boot();
