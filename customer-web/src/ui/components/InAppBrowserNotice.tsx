import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InAppBrowser } from '../../call/browserInfo.js';
import { CheckCircleIcon } from './Icons.js';
import { CopyIcon } from './JourneyIcons.js';

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

/**
 * In-app browsers (Facebook, Instagram, Gmail, LinkedIn) usually cannot open the camera: the camera
 * step then leads with how to get to the real browser. This is its text, under the step's heading.
 */
export function InAppBrowserIntro({ app }: { app: InAppBrowser }) {
  const { t } = useTranslation();
  return (
    <div className="in-app" data-testid="in-app-browser">
      <p className="lead">{t('journey.inApp.body', { app: t(`journey.inApp.apps.${app}`) })}</p>
      <p className="in-app__alt">{t('journey.inApp.menuHint')}</p>
    </div>
  );
}

/** The in-app browser's main action: copy the link to paste into Chrome or Safari. */
export function CopyLinkButton({ link }: { link: string }) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    if (copy === 'idle') return;
    const timer = setTimeout(() => setCopy('idle'), 6000);
    return () => clearTimeout(timer);
  }, [copy]);
  return (
    <>
      <p className={`action-card__hint in-app__status in-app__status--${copy}`} role="status">
        {copy === 'copied' ? t('journey.inApp.copied') : copy === 'failed' ? t('journey.inApp.copyFailed') : ''}
      </p>
      <button
        type="button"
        className="btn btn--primary btn--block"
        onClick={() => void copyText(link).then((ok) => setCopy(ok ? 'copied' : 'failed'))}
      >
        {copy === 'copied' ? <CheckCircleIcon width={20} height={20} /> : <CopyIcon width={20} height={20} />}
        {t('journey.inApp.copy')}
      </button>
    </>
  );
}
