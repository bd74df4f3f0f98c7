import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerCall } from '../call/customerCall.js';
import { useCustomerCallSnapshot, useCustomerCallStore } from '../call/useCustomerCall.js';
import { brandStyle } from './brand.js';
import { CallScreen } from './screens/CallScreen.js';
import { CustomerAnnotationLayer } from '../annotations/CustomerAnnotationLayer.js';
import { ConsentScreen } from './screens/ConsentScreen.js';
import { EndedScreen } from './screens/EndedScreen.js';
import { InUseScreen, InvalidScreen, LoadingScreen } from './screens/InfoScreens.js';
import { LocationScreen } from './screens/LocationScreen.js';
import { PermissionsScreen } from './screens/PermissionsScreen.js';

type Props = {
  createStore: () => CustomerCall;
  redirectDelayMs: number;
};

export function App({ createStore, redirectDelayMs }: Props) {
  const store = useCustomerCallStore(createStore);
  if (!store) {
    return (
      <div className="app" style={brandStyle(undefined)}>
        <LoadingScreen />
      </div>
    );
  }
  return <Journey store={store} redirectDelayMs={redirectDelayMs} />;
}

function Journey({ store, redirectDelayMs }: { store: CustomerCall; redirectDelayMs: number }) {
  const call = useCustomerCallSnapshot(store);
  const { t } = useTranslation();
  const company = call.invite?.branding.companyName ?? null;

  useEffect(() => {
    if (company) document.title = t('app.documentTitle', { company });
  }, [company, t]);

  return (
    <div className="app" style={brandStyle(call.invite?.branding.primaryColor)}>
      {(() => {
        switch (call.screen) {
          case 'loading':
            return <LoadingScreen />;
          case 'invalid':
            return <InvalidScreen reason={call.invalidReason ?? 'not-found'} onRetry={() => void store.start()} />;
          case 'in-use':
            return <InUseScreen onRetry={() => void store.accept()} />;
          case 'consent':
            return call.invite ? (
              <ConsentScreen
                invite={call.invite}
                busy={call.busy}
                joinFailed={call.joinFailed}
                onProceed={() => void store.accept()}
              />
            ) : null;
          case 'location':
            return call.invite ? (
              <LocationScreen
                invite={call.invite}
                busy={call.busy}
                onShare={() => void store.shareLocation()}
                onDecline={() => void store.declineLocation()}
              />
            ) : null;
          case 'permissions':
            return call.invite ? (
              <PermissionsScreen
                invite={call.invite}
                busy={call.busy}
                error={call.mediaError}
                onAllow={() => void store.requestMedia()}
              />
            ) : null;
          case 'call':
            return (
              <CallScreen
                call={call}
                onToggleCamera={() => void store.toggleCamera()}
                onToggleMicrophone={() => store.toggleMicrophone()}
                onEndCall={() => store.endCall()}
                overlay={<CustomerAnnotationLayer store={store} call={call} />}
              />
            );
          case 'ended':
            return (
              <EndedScreen
                reason={call.endReason}
                company={company}
                redirectUrl={call.redirectUrl}
                redirectDelayMs={redirectDelayMs}
              />
            );
        }
      })()}
    </div>
  );
}
