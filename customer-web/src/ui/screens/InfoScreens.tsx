import { useTranslation } from 'react-i18next';
import type { Branding } from '@live-assist/protocol';
import type { InvalidReason } from '../../call/customerCall.js';
import { AlertIcon, DevicesIcon, LinkOffIcon } from '../components/Icons.js';
import { MessageScreen } from '../components/MessageScreen.js';
import '../page.css';

export function LoadingScreen() {
  const { t } = useTranslation();
  return (
    <div className="page page--loading" role="status" aria-live="polite">
      <span className="spinner spinner--large" aria-hidden="true" />
      <span className="visually-hidden">{t('app.loading')}</span>
    </div>
  );
}

export function InUseScreen({ branding, onRetry }: { branding: Branding | null; onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <MessageScreen
      branding={branding}
      icon={<DevicesIcon width={34} height={34} />}
      title={t('inUse.title')}
      action={
        <button type="button" className="btn btn--secondary btn--block" onClick={onRetry}>
          {t('invalid.retry')}
        </button>
      }
    >
      <p className="message__body">{t('inUse.body')}</p>
    </MessageScreen>
  );
}

type InvalidProps = {
  reason: InvalidReason;
  /** Known when the link stopped working after the invite had loaded (e.g. the call ended meanwhile). */
  branding?: Branding | null;
  onRetry(): void;
};

export function InvalidScreen({ reason, branding, onRetry }: InvalidProps) {
  const { t } = useTranslation();
  const canRetry = reason === 'network';
  return (
    <MessageScreen
      tone="danger"
      branding={branding}
      icon={
        canRetry ? (
          <AlertIcon width={34} height={34} />
        ) : reason === 'browser' ? (
          <DevicesIcon width={34} height={34} />
        ) : (
          <LinkOffIcon width={34} height={34} />
        )
      }
      title={t(`invalid.${reason}.title`)}
      action={
        canRetry && (
          <button type="button" className="btn btn--primary btn--block" onClick={onRetry}>
            {t('invalid.retry')}
          </button>
        )
      }
    >
      <p className="message__body">{t(`invalid.${reason}.body`)}</p>
    </MessageScreen>
  );
}
