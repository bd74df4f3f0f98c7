import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol';
import type { MediaErrorKind } from '@live-assist/client-core';
import { detectBrowser, detectInAppBrowser } from '../../call/browserInfo.js';
import { BrandMark } from '../components/BrandMark.js';
import { CameraMicIcon } from '../components/Icons.js';
import { CopyLinkButton, InAppBrowserIntro } from '../components/InAppBrowserNotice.js';
import { BrowserIcon } from '../components/JourneyIcons.js';
import { LanguageSwitcher } from '../components/LanguageSwitcher.js';
import { PermissionHelp } from '../components/PermissionHelp.js';
import '../page.css';
import './permissions.css';
import '../journey.css';

type Props = {
  invite: InviteView;
  busy: boolean;
  error: MediaErrorKind | null;
  onAllow(): void;
};

/**
 * The camera step. Inside an in-app browser (Facebook, Instagram…), which usually cannot use the
 * camera, the step leads with opening the link in the real browser: "Copy link" is the primary
 * action and trying the camera here anyway is the secondary one.
 */
export function PermissionsScreen({ invite, busy, error, onAllow }: Props) {
  const { t } = useTranslation();
  const browser = useMemo(() => {
    const ua = navigator.userAgent;
    return { kind: detectBrowser(ua), inApp: detectInAppBrowser(ua) };
  }, []);
  const inApp = browser.inApp;
  return (
    <div className={`page page--permissions${inApp ? ' page--in-app' : ''}`}>
      <header className="topbar">
        <BrandMark branding={invite.branding} />
        <LanguageSwitcher />
      </header>
      <main className="permissions">
        <div className="permission-art" aria-hidden="true">
          <span className="permission-art__ring" />
          <span className="permission-art__badge">
            {inApp ? <BrowserIcon width={34} height={34} /> : <CameraMicIcon width={34} height={34} />}
          </span>
        </div>
        <p className="eyebrow">{t('journey.camera.step')}</p>
        <h1 className="permissions__title">{inApp ? t('journey.inApp.title') : t('permissions.title')}</h1>
        {inApp ? <InAppBrowserIntro app={inApp} /> : <p className="lead">{t('permissions.body')}</p>}
        {error && <PermissionHelp kind={error} browser={browser.kind} />}
      </main>
      <footer className="action-card action-card--plain">
        {inApp ? <CopyLinkButton link={window.location.href} /> : !error && <p className="action-card__hint">{t('permissions.hint')}</p>}
        <button
          type="button"
          className={`btn ${inApp ? 'btn--secondary' : 'btn--primary'} btn--block`}
          disabled={busy}
          aria-busy={busy}
          onClick={onAllow}
        >
          {busy && <span className={`spinner ${inApp ? '' : 'spinner--on-brand'}`} aria-hidden="true" />}
          {error ? t('permissions.retry') : t('permissions.allow')}
        </button>
      </footer>
    </div>
  );
}
