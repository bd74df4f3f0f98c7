import { MESSAGES } from './messages.js';

/** `bg`, `bg-BG`, `de-AT` … map to a bundled language; everything else gets English. */
export function pickLocale(requested) {
  const language = String(requested || '')
    .toLowerCase()
    .split(/[-_]/)[0];
  return language === 'bg' || language === 'de' ? language : 'en';
}

/** The same keys and `{name}` placeholders as the Zendesk app (messages.js is generated from them). */
export function translator(locale) {
  const messages = MESSAGES[locale] || MESSAGES.en;
  return (key, vars) => {
    const text = messages[key] || MESSAGES.en[key] || key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
  };
}

export function timeFormatter(locale) {
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return (iso) => format.format(new Date(iso));
}
