import type { Branding } from '@live-assist/protocol/invite';

type Translate = (key: string, options?: Record<string, string>) => string;

/**
 * The consent screen's words, one line each, in the order ConsentScreen shows them, with the
 * policy's address after its link: the relay stores this as what the customer agreed to, so it
 * reads the same keys as the screen (change both together).
 */
export function consentText(t: Translate, branding: Branding): string {
  return [
    t('consent.title'),
    t('consent.intro', { company: branding.companyName }),
    t('consent.pointCamera'),
    t('consent.pointControl'),
    t('consent.pointBrowser'),
    `${t('consent.policyLink', { version: branding.policyVersion })}: ${branding.policyUrl}`,
    t('consent.accept'),
  ].join('\n');
}
