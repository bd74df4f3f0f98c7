import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { Branding } from '@live-assist/protocol/invite';
import bg from '../i18n/bg.json';
import de from '../i18n/de.json';
import en from '../i18n/en.json';
import { consentText } from './consentText.js';

const BRANDING: Branding = {
  companyName: 'Wilo',
  logoUrl: null,
  primaryColor: '#009c82',
  policyUrl: 'https://wilo.example/privacy',
  policyVersion: '2024-01',
  exitUrl: 'https://www.wilo.com/',
  exitDelaySeconds: 3,
};

async function textIn(language: 'en' | 'bg' | 'de', bundle: Record<string, unknown>): Promise<string> {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { [language]: { translation: bundle } }, lng: language, interpolation: { escapeValue: false } });
  return consentText((key, options) => i18n.t(key, options), BRANDING);
}

describe('the consent text the relay stores', () => {
  it('is what the screen shows in the customer’s language: the explanation, the policy with its version and address, and the box they ticked', async () => {
    const text = await textIn('bg', bg);
    expect(text.split('\n')).toEqual([
      bg.consent.title,
      bg.consent.intro.replace('{{company}}', 'Wilo'),
      bg.consent.pointCamera,
      bg.consent.pointControl,
      bg.consent.pointBrowser,
      'Прочетете политиката за поверителност (версия 2024-01): https://wilo.example/privacy',
      bg.consent.accept,
    ]);
  });

  it('has no untranslated key or placeholder left in any language', async () => {
    for (const [language, bundle] of [
      ['en', en],
      ['bg', bg],
      ['de', de],
    ] as const) {
      const text = await textIn(language, bundle);
      expect(text).not.toMatch(/consent\.|\{\{/);
      expect(text).toContain('2024-01');
    }
  });
});
