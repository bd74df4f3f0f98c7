import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol/invite';
import type { ApiResult } from '../call/request.js';
import { brandStyle } from '../ui/brand.js';
import { ConsentScreen } from '../ui/screens/ConsentScreen.js';
import { LoadingScreen } from '../ui/screens/InfoScreens.js';

/** The call, its media engine, chat and marks: one chunk, fetched while the customer reads. */
const loadCall = () => import('../call/CallApp.js');
const CallApp = lazy(() => loadCall().then((module) => ({ default: module.CallApp })));

type Stage =
  | { kind: 'loading' }
  | { kind: 'consent'; invite: InviteView; busy: boolean; failed: boolean }
  /** The full call app takes over: after Proceed, on a reload mid-call, or to explain a bad link. */
  | { kind: 'call'; accepted?: InviteView };

type Props = {
  inviteToken: string;
  /**
   * The invite lookup, started by the entry as soon as it runs (alongside the language bundle);
   * null when this browser already holds a seat in the call (a reload goes straight back to it).
   */
  invite: Promise<ApiResult<InviteView>> | null;
};

/**
 * The first screen a customer sees, kept small for a phone on a slow link: it loads the invite with
 * the light schema and shows the consent screen, and only then downloads the call.
 */
export function ConsentGate({ inviteToken, invite }: Props) {
  const { t } = useTranslation();
  const [stage, setStage] = useState<Stage>(() => (invite ? { kind: 'loading' } : { kind: 'call' }));

  useEffect(() => {
    if (stage.kind !== 'loading' || !invite) return;
    let live = true;
    void invite.then((result) => {
      if (!live) return;
      // Any failure is explained by the call app, which asks again and knows every reason.
      setStage(result.ok ? { kind: 'consent', invite: result.value, busy: false, failed: false } : { kind: 'call' });
    });
    return () => {
      live = false;
    };
  }, [invite, stage.kind]);

  const showingConsent = stage.kind === 'consent';
  useEffect(() => {
    // Fetched once the consent screen is up, so Proceed rarely waits for it.
    if (showingConsent) void loadCall().catch(() => undefined);
  }, [showingConsent]);

  const company = stage.kind === 'consent' ? stage.invite.branding.companyName : null;
  useEffect(() => {
    if (company) document.title = t('app.documentTitle', { company });
  }, [company, t]);

  const proceed = useCallback(async (accepted: InviteView) => {
    setStage({ kind: 'consent', invite: accepted, busy: true, failed: false });
    try {
      await loadCall();
      setStage({ kind: 'call', accepted });
    } catch {
      setStage({ kind: 'consent', invite: accepted, busy: false, failed: true });
    }
  }, []);

  if (stage.kind === 'call') {
    return (
      <Suspense fallback={<Loading />}>
        <CallApp inviteToken={inviteToken} {...(stage.accepted ? { accepted: stage.accepted } : {})} />
      </Suspense>
    );
  }
  if (stage.kind === 'loading') return <Loading />;
  return (
    <div className="app" style={brandStyle(stage.invite.branding.primaryColor)}>
      <ConsentScreen invite={stage.invite} busy={stage.busy} joinFailed={stage.failed} onProceed={() => void proceed(stage.invite)} />
    </div>
  );
}

function Loading() {
  return (
    <div className="app" style={brandStyle(undefined)}>
      <LoadingScreen />
    </div>
  );
}
