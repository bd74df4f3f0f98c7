import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import en from './en.json';
import bg from './bg.json';
import de from './de.json';

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

export const LOCALES = { en, bg, de } satisfies Record<string, Messages>;
export type AppLocale = keyof typeof LOCALES;

/** `bg`, `bg-BG`, `de-AT` … map to a bundled language; everything else gets English. */
export function pickLocale(requested: string | null | undefined): AppLocale {
  const language = (requested ?? '').toLowerCase().split(/[-_]/)[0];
  return language === 'bg' || language === 'de' ? language : 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: AppLocale): Translate {
  const messages: Messages = LOCALES[locale];
  return (key, vars) => {
    const text = messages[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match)) : text;
  };
}

type I18n = { locale: AppLocale; t: Translate; formatTime(iso: string): string };

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, children }: { locale: AppLocale; children: ReactNode }) {
  const value = useMemo<I18n>(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      locale,
      t: translator(locale),
      formatTime: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : format.format(date);
      },
    };
  }, [locale]);
  useEffect(() => {
    // Screen readers pick their voice from the document language.
    document.documentElement.lang = locale;
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() must be used inside <I18nProvider>');
  return i18n;
}
