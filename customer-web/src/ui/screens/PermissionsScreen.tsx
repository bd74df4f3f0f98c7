import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol';
import type { MediaErrorKind } from '@live-assist/client-core';
import { detectBrowser, detectInAppBrowser } from '../../call/browserInfo.js';
import { BrandMark } from '../components/BrandMark.js';
import { CameraMicIcon } from '../components/Icons.js';
import { InAppBrowserNotice } from '../components/InAppBrowserNotice.js';
import { PermissionHelp } from '../components/PermissionHelp.js';
import '../journey.css';

type Props = {
  invite: InviteView;
  busy: boolean;
  error: MediaErrorKind | null;
  onAllow(): void;
};

export function PermissionsScreen({ invite, busy, error, onAllow }: Props) {
  const { t } = useTranslation();
  const browser = useMemo(() => {
    const ua = navigator.userAgent;
    return { kind: detectBrowser(ua), inApp: detectInAppBrowser(ua) };
  }, []);
  return (
    <div className="page page--permissions">
      <header className="topbar">
        <BrandMark branding={invite.branding} />
      </header>
      <main className="permissions">
        <div className="permission-art" aria-hidden="true">
          <span className="permission-art__ring" />
          <span className="permission-art__badge">
            <CameraMicIcon width={34} height={34} />
          </span>
        </div>
        <p className="eyebrow">{t('journey.camera.step')}</p>
        <h1 className="permissions__title">{t('permissions.title')}</h1>
        <p className="lead">{t('permissions.body')}</p>
        {browser.inApp && <InAppBrowserNotice app={browser.inApp} link={window.location.href} />}
        {error && <PermissionHelp kind={error} browser={browser.kind} />}
      </main>
      <footer className="action-card action-card--plain">
        {!error && <p className="action-card__hint">{t('permissions.hint')}</p>}
        <button
          type="button"
          className="btn btn--primary btn--block"
          disabled={busy}
          aria-busy={busy}
          onClick={onAllow}
        >
          {busy && <span className="spinner spinner--on-brand" aria-hidden="true" />}
          {error ? t('permissions.retry') : t('permissions.allow')}
        </button>
      </footer>
    </div>
  );
}
