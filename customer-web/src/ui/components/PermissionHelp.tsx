import { useTranslation } from 'react-i18next';
import type { MediaErrorKind } from '@live-assist/client-core';
import type { BrowserKind } from '../../call/browserInfo.js';
import { AlertIcon } from './Icons.js';
import './notice.css';

/** Why the camera did not start, and for a denial the steps to allow it in this very browser. */
export function PermissionHelp({ kind, browser }: { kind: MediaErrorKind; browser: BrowserKind }) {
  const { t } = useTranslation();
  const steps = kind === 'denied' ? (t(`journey.help.${browser}`, { returnObjects: true }) as unknown) : null;
  return (
    <div className="notice notice--danger" role="alert">
      <AlertIcon className="notice__icon" width={22} height={22} />
      <div>
        <p className="notice__title">{t(`permissions.errors.${kind}.title`)}</p>
        {Array.isArray(steps) ? (
          <>
            <p className="notice__body">{t('journey.help.title')}:</p>
            <ol className="help-steps" data-browser={browser}>
              {steps.map((step) => (
                <li key={String(step)}>{String(step)}</li>
              ))}
            </ol>
            <p className="notice__body">{t('journey.help.retryHint')}</p>
          </>
        ) : (
          <p className="notice__body">{t(`permissions.errors.${kind}.body`)}</p>
        )}
      </div>
    </div>
  );
}
