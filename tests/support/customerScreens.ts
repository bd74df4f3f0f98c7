import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';

/** The customer's side of the screen tour (tests/support/screenTour.ts): the phone page at 390x844. */

export type Lang = 'en' | 'bg' | 'de';
export const LANGS: readonly Lang[] = ['en', 'bg', 'de'];

/** Every screen the tour visits, in order (a test compares what it saw with this list). */
export const CUSTOMER_SCREENS = [
  'invalid-link',
  'load-failed',
  'in-app-browser',
  'consent',
  'in-use',
  'location',
  'camera',
  'camera-denied',
  'call',
  'chat',
  'photo-viewer',
  'frozen',
  'reconnecting',
  'call-landscape',
  'call-360x640',
  'confirm-end',
  'ended',
  'link-ended-on-join',
  'link-ended',
] as const;
export type CustomerScreen = (typeof CUSTOMER_SCREENS)[number];

/**
 * Product settings the tour needs: the "call ended" screen waits a minute before the redirect to
 * the company site, so a slow machine can still look at it.
 */
export const TOUR_PRODUCT_ENV: Record<string, string> = { EXIT_DELAY_SECONDS: '60' };

/** The browser the tour needs: camera prompts are refused unless granted, so "camera denied" is reachable. */
export function launchTourBrowser(): Promise<Browser> {
  return launchBrowser([], { answerMediaPrompts: false });
}

/** A Facebook in-app browser on an iPhone (what a customer gets by tapping the link in Messenger). */
export const FACEBOOK_IN_APP_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21F90 ' +
  '[FBAN/FBIOS;FBAV/466.0.0.44.106;FBBV/623355112;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/bg_BG;FBOP/5]';

/** The phone's browser language (the page also gets `?lang=`). */
export const PHONE_LOCALES: Record<Lang, string> = { en: 'en-US', bg: 'bg-BG', de: 'de-DE' };

/** What the customer and the specialist write, in the customer's language. */
export const CHAT_TEXT: Record<Lang, { problem: string; ask: string; photo: string }> = {
  en: {
    problem: 'The pump makes a clicking noise',
    ask: 'Please send me a photo of the label',
    photo: 'Here it is',
  },
  bg: {
    problem: 'Помпата издава щракащ звук',
    ask: 'Моля, изпратете ми снимка на табелката',
    photo: 'Ето я',
  },
  de: {
    problem: 'Die Pumpe macht ein klickendes Geräusch',
    ask: 'Bitte schicken Sie mir ein Foto vom Typenschild',
    photo: 'Hier ist es',
  },
};

type Messages = Record<string, unknown>;

/** The customer page's own words for a language (customer-web/src/i18n/<lang>.json). */
function messages(lang: Lang): Messages {
  return JSON.parse(readFileSync(new URL(`../../customer-web/src/i18n/${lang}.json`, import.meta.url), 'utf8')) as Messages;
}

/** `t('chat.photoFrom', { n: 1, name: 'You' })` as i18next renders it (plain `{{name}}` interpolation). */
export function translator(lang: Lang): (key: string, vars?: Record<string, string | number>) => string {
  const all = messages(lang);
  return (key, vars = {}) => {
    const value = key.split('.').reduce<unknown>((node, part) => (node as Messages | undefined)?.[part], all);
    if (typeof value !== 'string') throw new Error(`customer-web ${lang}.json has no string at ${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
  };
}

/** Both videos of the call screen show frames (the own camera and the specialist's picture). */
export const VIDEOS_PLAYING_SCRIPT = `[...document.querySelectorAll('video.call__local, video.pip__video')].length === 2 &&
  [...document.querySelectorAll('video.call__local, video.pip__video')].every(
    (v) => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0)`;

/**
 * What each screen may take, from the one before it, axe included: at least three times what it
 * takes on an idle machine, and more than it took on this project's machine while both cores were
 * many times oversubscribed, so a busy CI machine makes the tour slower, never red.
 */
export const CUSTOMER_BUDGETS_MS: Record<CustomerScreen, number> = {
  'invalid-link': 60_000,
  'load-failed': 120_000,
  'in-app-browser': 90_000,
  consent: 90_000,
  'in-use': 60_000,
  location: 90_000,
  camera: 60_000,
  'camera-denied': 60_000,
  call: 150_000,
  // The specialist's two marks, then three messages and a photo.
  chat: 240_000,
  'photo-viewer': 60_000,
  frozen: 150_000,
  reconnecting: 60_000,
  'call-landscape': 90_000,
  'call-360x640': 60_000,
  // A second tab opened and axe in the call: about 11 s idle, so ten times that.
  'confirm-end': 120_000,
  ended: 120_000,
  'link-ended-on-join': 60_000,
  'link-ended': 60_000,
};
