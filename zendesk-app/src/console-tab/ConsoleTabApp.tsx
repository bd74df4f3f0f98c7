import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { createRelayApi } from '../api/relayApi';
import { ServicesProvider } from '../appServices';
import type { ConsoleTabBoot } from '../boot';
import { LoadingScreen, MessageScreen } from '../components/Screen';
import { ConsoleScreen } from '../console/ConsoleScreen';
import { I18nProvider, pickLocale, translator } from '../i18n/i18n';
import { AppTheme } from '../theme/AppTheme';
import { openConsoleTab, takeCode, type ConsoleTabOpening } from './openConsoleTab';

/**
 * The specialist console in a browser tab of its own, opened from a helpdesk whose app frames may
 * not use the camera (Freshdesk's sidebar, "Open specialist view"). No helpdesk client here: the
 * ticket and the agent come from the relay, for the one-time code the link carried.
 */
export default function ConsoleTabApp({ boot }: { boot: ConsoleTabBoot }) {
  // Taken once per page (StrictMode's second effect must not find the fragment gone), and each try
  // once: a second POST of a code already spent would only say "expired".
  const code = useRef<string | null | undefined>(undefined);
  const opening = useRef<{ tries: number; outcome: Promise<ConsoleTabOpening> } | null>(null);
  const [tries, setTries] = useState(0);
  const [result, setResult] = useState<ConsoleTabOpening | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    if (code.current === undefined) code.current = takeCode(window.location, window.history);
    if (opening.current?.tries !== tries) {
      opening.current = { tries, outcome: openConsoleTab(boot.relayUrl, code.current, (input, init) => fetch(input, init)) };
    }
    void opening.current.outcome.then((outcome) => !cancelled && setResult(outcome));
    return () => {
      cancelled = true;
    };
  }, [boot.relayUrl, tries]);

  const login = result?.kind === 'opened' ? result.login : null;
  const locale = pickLocale(login?.locale ?? navigator.language);
  const t = translator(locale);
  const services = useMemo(
    () =>
      login
        ? {
            boot: { agentToken: login.agentToken, location: 'modal' as const, relayUrl: boot.relayUrl },
            api: createRelayApi({ relayUrl: boot.relayUrl, agentToken: login.agentToken }),
          }
        : null,
    [login, boot.relayUrl],
  );
  const onRetry = useCallback(() => setAttempt((n) => n + 1), []);
  // A tab the sidebar opened may close itself; one the agent opened by hand stays, with its "ended" screen.
  const onClose = useCallback(() => window.close(), []);

  let screen;
  if (services && login) {
    screen = (
      <ServicesProvider value={services}>
        <ConsoleScreen
          ticketId={login.ticketId}
          observe={false}
          ticketFailed={false}
          attempt={attempt}
          onRetry={onRetry}
          onClose={onClose}
        />
      </ServicesProvider>
    );
  } else if (result?.kind === 'expired') {
    screen = <MessageScreen title={t('consoleTab.expired.title')} body={t('consoleTab.expired.body')} />;
  } else if (result?.kind === 'failed') {
    screen = (
      <MessageScreen title={t('consoleTab.failed.title')} body={t('consoleTab.failed.body')}>
        <Button
          onClick={() => {
            setResult(null);
            setTries((n) => n + 1);
          }}
        >
          {t('app.retry')}
        </Button>
      </MessageScreen>
    );
  } else {
    screen = <LoadingScreen label={t('app.loading')} />;
  }
  return (
    <AppTheme>
      <I18nProvider locale={locale}>{screen}</I18nProvider>
    </AppTheme>
  );
}
