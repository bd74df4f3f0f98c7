import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol';
import { BrandMark } from '../components/BrandMark.js';
import { MapPinIcon } from '../components/JourneyIcons.js';
import { LanguageSwitcher } from '../components/LanguageSwitcher.js';
import '../page.css';
import './permissions.css';
import '../journey.css';

type Props = {
  invite: InviteView;
  /** Waiting for the browser's position (at most 10 s). */
  busy: boolean;
  onShare(): void;
  onDecline(): void;
};

/** The location step is optional; either answer continues to the camera step. */
export function LocationScreen({ invite, busy, onShare, onDecline }: Props) {
  const { t } = useTranslation();
  return (
    <div className="page page--location">
      <header className="topbar">
        <BrandMark branding={invite.branding} />
        <LanguageSwitcher />
      </header>
      <main className="permissions">
        <div className="permission-art" aria-hidden="true">
          <span className="permission-art__ring" />
          <span className="permission-art__badge">
            <MapPinIcon width={34} height={34} />
          </span>
        </div>
        <p className="eyebrow">{t('journey.location.step')}</p>
        <h1 className="permissions__title">{t('journey.location.title')}</h1>
        <p className="lead">{t('journey.location.body')}</p>
      </main>
      <footer className="action-card action-card--plain">
        <p className="action-card__hint" role={busy ? 'status' : undefined}>
          {busy ? t('journey.location.locating') : t('journey.location.optional')}
        </p>
        <div className="action-card__buttons">
          <button type="button" className="btn btn--primary btn--block" disabled={busy} aria-busy={busy} onClick={onShare}>
            {busy && <span className="spinner spinner--on-brand" aria-hidden="true" />}
            {t('journey.location.share')}
          </button>
          <button type="button" className="btn btn--secondary btn--block" disabled={busy} onClick={onDecline}>
            {t('journey.location.decline')}
          </button>
        </div>
      </footer>
    </div>
  );
}
