import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol/invite';
import { isLinkFailure, type ApiFailure, type ApiResult } from '../call/request.js';
import { brandStyle } from '../ui/brand.js';
import { ConsentScreen } from '../ui/screens/ConsentScreen.js';
import { LoadingScreen } from '../ui/screens/InfoScreens.js';

/** The call, its media engine, chat and marks: one chunk, fetched while the customer reads. */
const loadCall = () => import('../call/CallApp.js');
const CallApp = lazy(() => loadCall().then((module) => ({ default: module.CallApp })));

type Stage =
  | { kind: 'loading' }
  | { kind: 'consent'; invite: InviteView; busy: boolean; failed: boolean }
  /**
   * The full call app takes over: after Proceed, on a reload mid-call, or to explain a bad link
   * (`linkFailure`: why, already known, so the call app does not ask again).
   */
  | { kind: 'call'; accepted?: InviteView; linkFailure?: ApiFailure };

type Props = {
  inviteToken: string;
  /**
   * The invite: the relay's answer that came with the page, or the lookup the entry started as soon
   * as it ran (alongside the language bundle); null when this browser already holds a seat in the
   * call (a reload goes straight back to it).
   */
  invite: ApiResult<InviteView> | Promise<ApiResult<InviteView>> | null;
};

function stageFor(result: ApiResult<InviteView>): Stage {
  if (result.ok) return { kind: 'consent', invite: result.value, busy: false, failed: false };
  // Any other failure (the network) the call app asks about again.
  return isLinkFailure(result.failure) ? { kind: 'call', linkFailure: result.failure } : { kind: 'call' };
}

/**
 * The first screen a customer sees, kept small for a phone on a slow link: it loads the invite with
 * the light schema and shows the consent screen, and only then downloads the call.
 */
export function ConsentGate({ inviteToken, invite }: Props) {
  const { t } = useTranslation();
  // An answer already at hand renders the consent screen in the first render, with no loading screen first.
  const [stage, setStage] = useState<Stage>(() =>
    !invite ? { kind: 'call' } : invite instanceof Promise ? { kind: 'loading' } : stageFor(invite),
  );

  useEffect(() => {
    if (stage.kind !== 'loading' || !(invite instanceof Promise)) return;
    let live = true;
    void invite.then((result) => {
      // The call app explains any failure, in the customer's language.
      if (live) setStage(stageFor(result));
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
        <CallApp
          inviteToken={inviteToken}
          {...(stage.accepted ? { accepted: stage.accepted } : {})}
          {...(stage.linkFailure ? { linkFailure: stage.linkFailure } : {})}
        />
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
