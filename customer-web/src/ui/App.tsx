import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exitDelayMs, type CustomerCall } from '../call/customerCall.js';
import { useCustomerCallSnapshot, useCustomerCallStore } from '../call/useCustomerCall.js';
import { brandStyle } from './brand.js';
import { CallScreen } from './screens/CallScreen.js';
import { CustomerAnnotationLayer } from '../annotations/CustomerAnnotationLayer.js';
import { CameraLayer } from '../camera/CameraLayer.js';
import { ConsentScreen } from './screens/ConsentScreen.js';
import { EndedScreen } from './screens/EndedScreen.js';
import { InUseScreen, InvalidScreen, LoadingScreen } from './screens/InfoScreens.js';
import { LocationScreen } from './screens/LocationScreen.js';
import { PermissionsScreen } from './screens/PermissionsScreen.js';

type Props = {
  createStore: () => CustomerCall;
  /** The customer already accepted the policy on the first screen (the box stays ticked). */
  accepted?: boolean;
};

export function App({ createStore, accepted = false }: Props) {
  const store = useCustomerCallStore(createStore);
  if (!store) {
    return (
      <div className="app" style={brandStyle(undefined)}>
        <LoadingScreen />
      </div>
    );
  }
  return <Journey store={store} accepted={accepted} />;
}

function Journey({ store, accepted }: { store: CustomerCall; accepted: boolean }) {
  const call = useCustomerCallSnapshot(store);
  const { t } = useTranslation();
  const branding = call.invite?.branding ?? null;
  const company = branding?.companyName ?? null;
  /** The specialist froze the picture (the annotation layer knows; the call screen's pill shows it). */
  const [frozen, setFrozen] = useState(false);

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
            return <InvalidScreen reason={call.invalidReason ?? 'not-found'} branding={branding} onRetry={() => void store.start()} />;
          case 'in-use':
            return <InUseScreen branding={branding} onRetry={() => void store.accept()} />;
          case 'consent':
            return call.invite ? (
              <ConsentScreen
                invite={call.invite}
                busy={call.busy}
                joinFailed={call.joinFailed}
                initiallyAccepted={accepted}
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
              <PermissionsScreen invite={call.invite} busy={call.busy} error={call.mediaError} onAllow={() => void store.requestMedia()} />
            ) : null;
          case 'call':
            return (
              <CallScreen
                call={call}
                onToggleCamera={() => void store.toggleCamera()}
                onToggleMicrophone={() => store.toggleMicrophone()}
                onEndCall={() => store.endCall()}
                frozen={frozen}
                overlay={<CustomerAnnotationLayer store={store} call={call} onFrozenChange={setFrozen} />}
                camera={<CameraLayer store={store} call={call} />}
              />
            );
          case 'ended':
            return (
              <EndedScreen
                reason={call.endReason}
                branding={branding}
                redirectUrl={call.redirectUrl}
                redirectDelayMs={exitDelayMs(call.invite)}
              />
            );
        }
      })()}
    </div>
  );
}
