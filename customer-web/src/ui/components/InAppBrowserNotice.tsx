import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InAppBrowser } from '../../call/browserInfo.js';
import { BrowserIcon, CopyIcon } from './JourneyIcons.js';

type CopyState = 'idle' | 'copied' | 'failed';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Webviews often lack the async clipboard; the old selection-based copy still works there.
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.append(field);
    field.select();
    const ok = document.execCommand('copy');
    field.remove();
    return ok;
  }
}

/** In-app browsers (Facebook, Instagram, Gmail, LinkedIn) usually cannot open the camera. */
export function InAppBrowserNotice({ app, link }: { app: InAppBrowser; link: string }) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    if (copy === 'idle') return;
    const timer = setTimeout(() => setCopy('idle'), 4000);
    return () => clearTimeout(timer);
  }, [copy]);
  return (
    <div className="notice notice--warning" data-testid="in-app-browser">
      <BrowserIcon className="notice__icon" width={22} height={22} />
      <div className="notice__content">
        <p className="notice__title">{t('journey.inApp.title')}</p>
        <p className="notice__body">{t('journey.inApp.body', { app: t(`journey.inApp.apps.${app}`) })}</p>
        <p className="notice__body">{t('journey.inApp.menuHint')}</p>
        <button
          type="button"
          className="btn btn--secondary btn--block notice__action"
          onClick={() => void copyText(link).then((ok) => setCopy(ok ? 'copied' : 'failed'))}
        >
          <CopyIcon width={20} height={20} />
          {t('journey.inApp.copy')}
        </button>
        <p className="notice__body" role="status">
          {copy === 'copied' ? t('journey.inApp.copied') : copy === 'failed' ? t('journey.inApp.copyFailed') : ''}
        </p>
      </div>
    </div>
  );
}
