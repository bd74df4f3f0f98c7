import { useTranslation } from 'react-i18next';
import type { Branding } from '@live-assist/protocol';
import type { EndReason } from '../../call/customerCall.js';
import { CheckCircleIcon } from '../components/Icons.js';
import { MessageScreen } from '../components/MessageScreen.js';
import './ended.css';

type Props = {
  reason: EndReason | null;
  branding: Branding | null;
  redirectUrl: string | null;
  redirectDelayMs: number;
};

const REASON_KEY: Record<EndReason, string> = {
  'ended-by-customer': 'ended.byCustomer',
  'ended-by-specialist': 'ended.bySpecialist',
  expired: 'ended.expired',
};

export function EndedScreen({ reason, branding, redirectUrl, redirectDelayMs }: Props) {
  const { t } = useTranslation();
  const company = branding?.companyName ?? null;
  return (
    <MessageScreen
      branding={branding}
      tone="brand"
      icon={<CheckCircleIcon width={36} height={36} />}
      title={t('ended.title')}
      action={
        redirectUrl && (
          <a className="btn btn--primary btn--block" href={redirectUrl}>
            {t('ended.continue')}
          </a>
        )
      }
    >
      {reason && <p className="message__body">{t(REASON_KEY[reason])}</p>}
      <p className="message__body">{t('ended.thanks')}</p>
      {redirectUrl && company && (
        <div className="redirect">
          <p className="message__hint">{t('ended.redirecting', { company })}</p>
          <div className="redirect__bar" aria-hidden="true">
            <span style={{ animationDuration: `${redirectDelayMs}ms` }} />
          </div>
        </div>
      )}
    </MessageScreen>
  );
}
