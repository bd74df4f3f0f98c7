import { Suspense, lazy, useEffect, useMemo, useState, type ComponentType, type LazyExoticComponent } from 'react';
import type { ZafClient } from 'zendesk_app_framework_sdk';
import { createRelayApi } from './api/relayApi';
import { ServicesProvider } from './appServices';
import type { Boot } from './boot';
import { LoadingScreen, MessageScreen } from './components/Screen';
import { I18nProvider, pickLocale, translator, type AppLocale } from './i18n/i18n';
import { AppTheme } from './theme/AppTheme';
import { ClientProvider, useAppContext, useClient } from './zaf/ClientProvider';
import { getUserLocale } from './zaf/zafData';

/** One lazy screen per app location in the manifest; each location loads only its own code. */
export const LOCATIONS: Record<string, LazyExoticComponent<ComponentType>> = {
  ticket_sidebar: lazy(() => import('./locations/TicketSidebar')),
  modal: lazy(() => import('./locations/SpecialistConsole')),
};

function LocationScreen({ fallbackLocale }: { fallbackLocale: AppLocale }) {
  const client = useClient();
  const { location } = useAppContext();
  const [locale, setLocale] = useState<AppLocale | null>(null);

  useEffect(() => {
    let cancelled = false;
    void getUserLocale(client).then((userLocale) => {
      if (!cancelled) setLocale(userLocale ? pickLocale(userLocale) : fallbackLocale);
    });
    return () => {
      cancelled = true;
    };
  }, [client, fallbackLocale]);

  const t = translator(locale ?? fallbackLocale);
  if (!locale) return <LoadingScreen label={t('app.loading')} />;
  const Screen = LOCATIONS[location];
  return (
    <I18nProvider locale={locale}>
      {Screen ? (
        <Suspense fallback={<LoadingScreen label={t('app.loading')} />}>
          <Screen />
        </Suspense>
      ) : (
        <MessageScreen title={t('app.outsideHelpdesk.title')} body={t('app.outsideHelpdesk.body')} />
      )}
    </I18nProvider>
  );
}

export function App({ boot, client }: { boot: Boot | null; client?: ZafClient | false }) {
  const fallbackLocale = pickLocale(typeof navigator === 'undefined' ? null : navigator.language);
  const t = translator(fallbackLocale);
  const services = useMemo(
    () => (boot ? { boot, api: createRelayApi({ relayUrl: boot.relayUrl, agentToken: boot.agentToken }) } : null),
    [boot],
  );
  const outside = <MessageScreen title={t('app.outsideHelpdesk.title')} body={t('app.outsideHelpdesk.body')} />;

  return (
    <AppTheme>
      {services ? (
        <ServicesProvider value={services}>
          <ClientProvider client={client} pending={<LoadingScreen label={t('app.loading')} />} outsideHelpdesk={outside}>
            <LocationScreen fallbackLocale={fallbackLocale} />
          </ClientProvider>
        </ServicesProvider>
      ) : (
        outside
      )}
    </AppTheme>
  );
}
