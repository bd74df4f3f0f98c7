import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'bg', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Shown in their own language so a customer can find theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', bg: 'Български', de: 'Deutsch' };

type Bundle = Record<string, unknown>;

/**
 * One chunk per language: a phone on a slow link downloads only the customer's own words before
 * the consent screen, and another language only when the customer switches to it.
 */
const BUNDLES: Record<Language, () => Promise<{ default: Bundle }>> = {
  en: () => import('./en.json'),
  bg: () => import('./bg.json'),
  de: () => import('./de.json'),
};

function supported(tag: string | null | undefined): Language | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === base) ?? null;
}

/** `?lang=` wins, then the browser's preferred languages, then English. */
export function detectLanguage(search: string, preferred: readonly string[]): Language {
  const fromQuery = supported(new URLSearchParams(search).get('lang'));
  if (fromQuery) return fromQuery;
  for (const tag of preferred) {
    const match = supported(tag);
    if (match) return match;
  }
  return 'en';
}

async function ensureBundle(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, 'translation')) return;
  const bundle = await BUNDLES[language]();
  i18next.addResourceBundle(language, 'translation', bundle.default);
}

export async function initI18n(language: Language): Promise<typeof i18next> {
  const bundle = await BUNDLES[language]();
  await i18next.use(initReactI18next).init({
    resources: { [language]: { translation: bundle.default } },
    lng: language,
    // English is only a fallback if it was loaded: no second bundle is downloaded for it.
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}

export function currentLanguage(): Language {
  return supported(i18next.resolvedLanguage ?? i18next.language) ?? 'en';
}

/** Keeps the choice in the URL so a reload stays in the chosen language. */
export async function switchLanguage(language: Language): Promise<void> {
  await ensureBundle(language);
  await i18next.changeLanguage(language);
  const url = new URL(window.location.href);
  url.searchParams.set('lang', language);
  window.history.replaceState(window.history.state, '', url);
}
