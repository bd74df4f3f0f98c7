import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readBoot } from './boot';

// Its own chunk: the sidebar, which loads on every ticket, does not carry the console.
const ConsoleTabApp = lazy(() => import('./console-tab/ConsoleTabApp'));

const root = document.getElementById('root');
if (root) {
  const boot = readBoot();
  createRoot(root).render(
    <StrictMode>
      {boot?.location === 'console_tab' ? (
        <Suspense fallback={null}>
          <ConsoleTabApp boot={boot} />
        </Suspense>
      ) : (
        <App boot={boot} />
      )}
    </StrictMode>,
  );
}
