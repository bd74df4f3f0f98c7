import { readFileSync } from 'node:fs';
import { LANGS, type Lang } from './customerScreens.js';

/**
 * The agent's side of the screen tour (tests/support/screenTour.ts): the sandbox ticket page at
 * 1280x800 in one agent language (`?locale=`), its Live Assist sidebar and the specialist console
 * (the ZAF modal).
 */

/** The agent's languages are the customer page's. */
export { LANGS, type Lang };

/** Every screen the tour visits, in order (a test compares what it saw with this list). */
export const CONSOLE_SCREENS = [
  'sidebar-start',
  'sidebar-invite',
  'console-waiting',
  'console-call',
  'console-frozen',
  'console-snapshot',
  'console-confirm-end',
  'console-ended',
  'sidebar-ended',
] as const;
export type ConsoleScreen = (typeof CONSOLE_SCREENS)[number];

/** The agent's language as Zendesk spells it in `currentUser.locale` (sandbox `?locale=`). */
export const AGENT_LOCALE: Record<Lang, string> = { en: 'en-US', bg: 'bg', de: 'de' };

type Messages = Record<string, string>;

/** The app's own words (zendesk-app/src/i18n/<lang>.json), filled like its translator (`{name}`). */
export function appTranslator(lang: Lang): (key: string, vars?: Record<string, string | number>) => string {
  const all = JSON.parse(readFileSync(new URL(`../../zendesk-app/src/i18n/${lang}.json`, import.meta.url), 'utf8')) as Messages;
  return (key, vars = {}) => {
    const value = all[key];
    if (typeof value !== 'string') throw new Error(`zendesk-app ${lang}.json has no string at ${key}`);
    return value.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
  };
}

/**
 * What each screen may take, from the one before it (the first from a fresh page), axe included:
 * at least three times what it takes on an idle machine, and more than it took on this project's
 * machine while both cores were many times oversubscribed, so a busy CI machine makes the tour
 * slower, never red.
 */
export const CONSOLE_BUDGETS_MS: Record<ConsoleScreen, number> = {
  'sidebar-start': 90_000,
  'sidebar-invite': 60_000,
  // In English this visit also proves axe reaches into both app frames (two more axe runs).
  'console-waiting': 150_000,
  'console-call': 240_000,
  // A visit in the call runs axe over two frames next to a playing video: 8–11 s idle in English,
  // and over 60 s once on a busy two-core machine, so these budgets are over ten times the idle run.
  'console-frozen': 150_000,
  'console-snapshot': 150_000,
  'console-confirm-end': 150_000,
  'console-ended': 90_000,
  'sidebar-ended': 90_000,
};
