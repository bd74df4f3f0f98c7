import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteView } from '@live-assist/protocol/invite';
import { BrandMark } from '../components/BrandMark.js';
import { EyeIcon, ExternalIcon, GlobeIcon, SlidersIcon, VideoIcon } from '../components/Icons.js';
import { LanguageSwitcher } from '../components/LanguageSwitcher.js';
import '../page.css';
import './consent.css';

type Props = {
  invite: InviteView;
  busy: boolean;
  joinFailed: boolean;
  /** Ticked already: the customer accepted on the first screen and the join is under way. */
  initiallyAccepted?: boolean;
  onProceed(): void;
};

export function ConsentScreen({ invite, busy, joinFailed, initiallyAccepted = false, onProceed }: Props) {
  const { t } = useTranslation();
  const [accepted, setAccepted] = useState(initiallyAccepted);
  const checkboxId = useId();
  const company = invite.branding.companyName;

  return (
    <div className="page page--consent">
      <header className="topbar">
        <BrandMark branding={invite.branding} />
        <LanguageSwitcher />
      </header>

      <main className="consent">
        <div className="hero-badge" aria-hidden="true">
          <VideoIcon width={30} height={30} />
        </div>
        <p className="eyebrow">{t('journey.consent.step')}</p>
        <h1 className="consent__title">{t('consent.title')}</h1>
        <p className="lead">{t('consent.intro', { company })}</p>

        <ul className="points">
          <li>
            <span className="points__icon" aria-hidden="true">
              <EyeIcon width={20} height={20} />
            </span>
            {t('consent.pointCamera')}
          </li>
          <li>
            <span className="points__icon" aria-hidden="true">
              <SlidersIcon width={20} height={20} />
            </span>
            {t('consent.pointControl')}
          </li>
          <li>
            <span className="points__icon" aria-hidden="true">
              <GlobeIcon width={20} height={20} />
            </span>
            {t('consent.pointBrowser')}
          </li>
        </ul>
      </main>

      <footer className="action-card">
        <div className="check">
          <input
            id={checkboxId}
            className="check__input"
            type="checkbox"
            checked={accepted}
            onChange={(event) => setAccepted(event.target.checked)}
          />
          <label htmlFor={checkboxId} className="check__label">
            {t('consent.accept')}
          </label>
        </div>
        <a className="policy-link" href={invite.branding.policyUrl} target="_blank" rel="noopener noreferrer">
          {t('consent.policyLink', { version: invite.branding.policyVersion })}
          <ExternalIcon width={16} height={16} />
        </a>
        {joinFailed && (
          <p className="inline-error" role="alert">
            {t('consent.joinFailed')}
          </p>
        )}
        <button type="button" className="btn btn--primary btn--block" disabled={!accepted || busy} aria-busy={busy} onClick={onProceed}>
          {busy && <span className="spinner spinner--on-brand" aria-hidden="true" />}
          {t('consent.proceed')}
        </button>
      </footer>
    </div>
  );
}
