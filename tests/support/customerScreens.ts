import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { PHONE_VIEWPORT, launchBrowser, newPhoneContext } from './browser.js';
import { settled } from './axe.js';
import { pumpPhoto } from './fixtures.js';
import { agentStartsVideo, untilTrue } from './journey.js';
import { steps } from './steps.js';

/**
 * The screen tour: a real customer page on a phone (390x844) and the specialist console, driven
 * through every screen the customer can see, in one language. At each screen, once it is settled
 * (its own content visible, fonts loaded, entrance animations finished), the tour calls
 * `visit(name, page)`: the e2e test runs axe there, `npm run screenshots` saves a PNG.
 *
 * `invalid-link` and `link-ended` are an unknown and a finished invite opened afresh (the relay
 * answers 404/410 with the customer page, which says why); `link-ended-on-join` is a tab left on
 * the consent screen that tries to join after the call.
 */

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

export type Visit = (name: CustomerScreen, page: Page) => Promise<void>;

/**
 * Product settings the tour needs: the "call ended" screen waits a minute before the redirect to
 * the company site, so a slow machine can still look at it.
 */
export const TOUR_PRODUCT_ENV: Record<string, string> = { EXIT_DELAY_SECONDS: '60' };

/** Visible states may take this long on two shared cores running two browsers' worth of pages. */
const SLOW_MS = 45_000;

/** The browser the tour needs: camera prompts are refused unless granted, so "camera denied" is reachable. */
export function launchTourBrowser(): Promise<Browser> {
  return launchBrowser([], { answerMediaPrompts: false });
}

/** A Facebook in-app browser on an iPhone (what a customer gets by tapping the link in Messenger). */
const FACEBOOK_IN_APP_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21F90 ' +
  '[FBAN/FBIOS;FBAV/466.0.0.44.106;FBBV/623355112;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/bg_BG;FBOP/5]';

const LOCALES: Record<Lang, string> = { en: 'en-US', bg: 'bg-BG', de: 'de-DE' };

/** What the customer and the specialist write, in the customer's language. */
const CHAT_TEXT: Record<Lang, { problem: string; ask: string; photo: string }> = {
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
const VIDEOS_PLAYING_SCRIPT = `[...document.querySelectorAll('video.call__local, video.pip__video')].length === 2 &&
  [...document.querySelectorAll('video.call__local, video.pip__video')].every(
    (v) => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0)`;

/** An image that has loaded and decoded (a thumbnail, the full-size photo, the frozen still). */
const imageLoaded = (image: Locator) =>
  image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false);

/** Polls `check` until it holds; throws `what` after `timeoutMs`. A wait on a visible state, never a sleep. */
async function until(page: Page | Frame, what: string, check: () => Promise<boolean>, timeoutMs = SLOW_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`screen tour: ${what} (waited ${timeoutMs} ms)`);
    await page.waitForTimeout(150);
  }
}

export interface TourOptions {
  browser: Browser;
  /** The product's base URL (startProduct().url). */
  baseUrl: string;
  /** The specialist's context (newAgentContext); the tour opens and closes its own ticket page in it. */
  agent: BrowserContext;
  lang: Lang;
  visit: Visit;
  /** The sandbox ticket the specialist starts the video on; one per tour (1201–1204 are seeded). */
  ticketId?: number;
  /** Progress lines (where a slow or stuck run is). */
  log?: (line: string) => void;
}

/**
 * What each screen may take, from the one before it, axe included: at least three times what it
 * takes on an idle machine, and more than it took on this project's machine while both cores were
 * many times oversubscribed, so a busy CI machine makes the tour slower, never red.
 */
export const CUSTOMER_BUDGETS_MS: Record<CustomerScreen, number> = {
  'invalid-link': 60_000,
  'load-failed': 120_000,
  'in-app-browser': 90_000,
  consent: 60_000,
  'in-use': 60_000,
  location: 90_000,
  camera: 60_000,
  'camera-denied': 60_000,
  call: 150_000,
  chat: 150_000,
  'photo-viewer': 60_000,
  frozen: 90_000,
  reconnecting: 60_000,
  'call-landscape': 90_000,
  'call-360x640': 60_000,
  'confirm-end': 60_000,
  ended: 60_000,
  'link-ended-on-join': 60_000,
  'link-ended': 60_000,
};

/**
 * Runs the whole tour in one language and returns the screens visited, in order. Each screen has
 * its own budget (CUSTOMER_BUDGETS_MS); a failure names the screen and the last state seen.
 * Everything it opens (phone contexts, the ticket page) is closed again, also when a step fails.
 */
export async function customerScreenTour(opts: TourOptions): Promise<CustomerScreen[]> {
  const { browser, baseUrl, agent, lang } = opts;
  const t = translator(lang);
  const s = steps(`customer tour ${lang}`, opts.log);
  const visited: CustomerScreen[] = [];
  const contexts: BrowserContext[] = [];
  // Closed in `finally`; a list, as it is opened inside a screen's closure.
  const agentPages: Page[] = [];

  /** The work leading to a screen, then the visit on the page it returns, within the screen's budget. */
  const screen = (name: CustomerScreen, work: () => Promise<Page>) =>
    s.screen(name, CUSTOMER_BUDGETS_MS[name], async () => {
      const page = await work();
      s.at('the screen settled (fonts, animations)');
      await settled(page);
      s.at('the visit (axe or screenshot)');
      await opts.visit(name, page);
      visited.push(name);
    });
  const phoneContext = async (userAgent?: string) => {
    const context = userAgent
      ? await browser.newContext({
          viewport: PHONE_VIEWPORT,
          baseURL: baseUrl,
          locale: LOCALES[lang],
          isMobile: true,
          hasTouch: true,
          deviceScaleFactor: 2,
          userAgent,
        })
      : await newPhoneContext(browser, baseUrl, LOCALES[lang]);
    context.setDefaultTimeout(SLOW_MS);
    contexts.push(context);
    return context;
  };
  const heading = (page: Page, key: string) => page.getByRole('heading', { name: t(key) });
  const button = (page: Page, key: string) => page.getByRole('button', { name: t(key), exact: true });
  const withLang = (url: string) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

  try {
    const phone = await phoneContext();
    let stray!: Page;
    let desk!: Frame;
    let inviteUrl = '';
    let inApp!: BrowserContext;
    let page!: Page;

    // A link with an unknown token: 404, and the page says so in the customer's language.
    await screen('invalid-link', async () => {
      s.at('an unknown invite opened');
      stray = await phone.newPage();
      const unknown = await stray.goto(withLang('/join/NoSuchInviteToken123'));
      if (unknown?.status() !== 404) throw new Error(`screen tour: an unknown invite answered ${unknown?.status()}, not 404`);
      await heading(stray, 'invalid.not-found.title').waitFor();
      return stray;
    });

    // The specialist starts the video; the invite could not be loaded (no answer from the relay).
    await screen('load-failed', async () => {
      s.at('the specialist starting the video');
      agent.setDefaultTimeout(SLOW_MS);
      const started = await agentStartsVideo(agent, opts.ticketId ?? 1201);
      agentPages.push(started.page);
      desk = started.console;
      inviteUrl = withLang(started.inviteUrl);
      s.at('the invite opened without an answer from the relay');
      await stray.route('**/api/invites/**', (route) => route.abort('internetdisconnected'));
      await stray.goto(inviteUrl);
      await heading(stray, 'invalid.network.title').waitFor();
      await button(stray, 'invalid.retry').waitFor();
      return stray;
    });
    await stray.close();

    // The same link opened inside Facebook's in-app browser first: it gets as far as the camera step.
    await screen('in-app-browser', async () => {
      s.at('the invite in an in-app browser, up to the camera step');
      inApp = await phoneContext(FACEBOOK_IN_APP_UA);
      const webview = await inApp.newPage();
      await webview.goto(inviteUrl);
      await webview.getByRole('checkbox', { name: t('consent.accept') }).check();
      await button(webview, 'consent.proceed').click();
      await button(webview, 'journey.location.decline').click();
      await webview.getByTestId('in-app-browser').waitFor();
      await button(webview, 'permissions.allow').waitFor();
      return webview;
    });

    // The customer's phone browser: consent, while the in-app browser still holds the seat.
    const accept = () => page.getByRole('checkbox', { name: t('consent.accept') });
    await screen('consent', async () => {
      s.at('the consent screen');
      page = await phone.newPage();
      await page.goto(inviteUrl);
      await accept().waitFor();
      return page;
    });
    await screen('in-use', async () => {
      s.at('"in use" after Proceed while the in-app browser holds the seat');
      await accept().check();
      await button(page, 'consent.proceed').click();
      await heading(page, 'inUse.title').waitFor();
      return page;
    });

    // The customer closes the in-app browser and tries again: now the seat is free.
    const decline = button(page, 'journey.location.decline');
    await screen('location', async () => {
      s.at('the location step after "Try again" on the in-use screen');
      await inApp.close();
      await until(page, 'the location step after "Try again" on the in-use screen', async () => {
        if (await decline.isVisible()) return true;
        const retry = button(page, 'invalid.retry');
        if (await retry.isVisible()) await retry.click({ timeout: 2000 }).catch(() => undefined);
        await decline.waitFor({ timeout: 2000 }).catch(() => undefined);
        return decline.isVisible();
      });
      return page;
    });

    // Camera: the first answer is "Block" (no permission in this context), then allowed.
    const allow = button(page, 'permissions.allow');
    await screen('camera', async () => {
      s.at('the camera step');
      await decline.click();
      await allow.waitFor();
      return page;
    });
    await screen('camera-denied', async () => {
      s.at('the help after the camera was blocked');
      await allow.click();
      await page.getByText(t('journey.help.title'), { exact: false }).waitFor();
      await button(page, 'permissions.retry').waitFor();
      return page;
    });

    // The call, once both pictures are there.
    await screen('call', async () => {
      s.at('the call screen after the camera was allowed');
      await phone.grantPermissions(['camera', 'microphone']);
      await button(page, 'permissions.retry').click();
      await button(page, 'call.end').waitFor();
      await page.locator('.status-pill--live').waitFor();
      s.at('both videos of the call playing');
      await untilTrue(page, VIDEOS_PLAYING_SCRIPT, 'both videos of the call playing', SLOW_MS);
      return page;
    });

    // Chat: the customer writes, the specialist replies quoting it, the customer sends a photo.
    const log = page.getByRole('log', { name: t('chat.messages') });
    await screen('chat', async () => {
      const text = CHAT_TEXT[lang];
      const deskLog = desk.getByRole('log', { name: 'Messages' });
      s.at('the customer’s message sent and in the console');
      await button(page, 'chat.open').click();
      const composer = page.getByRole('textbox', { name: t('chat.message') });
      await composer.fill(text.problem);
      await button(page, 'chat.send').click();
      await log.getByText(t('chat.status.sent'), { exact: true }).waitFor();
      await deskLog.getByText(text.problem).waitFor();
      s.at('the specialist’s quoted reply on the phone');
      await deskLog.getByRole('button', { name: 'Reply to Customer' }).click();
      await desk.getByRole('textbox', { name: 'Message' }).fill(text.ask);
      await desk.getByRole('button', { name: 'Send' }).click();
      await log.locator('li[data-status]').filter({ hasText: text.ask }).locator('blockquote').waitFor();
      s.at('the customer’s photo sent and its thumbnail loaded');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button(page, 'chat.attach').click()]);
      await chooser.setFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: await pumpPhoto() });
      await composer.fill(text.photo);
      await button(page, 'chat.send').click();
      const thumbnail = log.getByRole('img', { name: t('chat.photoFrom', { n: 1, name: t('chat.you') }) });
      await thumbnail.waitFor();
      await until(page, 'all three chat messages sent and the photo thumbnail loaded', async () =>
        (await log.locator('li[data-status="sent"]').count()) === 3 && (await imageLoaded(thumbnail)),
      );
      s.at('the photo in the console');
      await deskLog.getByRole('img', { name: 'Photo 1 from Customer' }).waitFor();
      return page;
    });

    // The photo at full size.
    const viewer = page.getByRole('dialog', { name: t('chat.photo') });
    await screen('photo-viewer', async () => {
      s.at('the full-size photo');
      await log.getByRole('button', { name: t('chat.photoFrom', { n: 1, name: t('chat.you') }) }).click();
      await until(page, 'the full-size photo', () => imageLoaded(viewer.getByRole('img')));
      return page;
    });

    // The specialist freezes the picture: banner and still on the phone.
    const toolbar = desk.getByRole('toolbar', { name: 'Annotation tools' });
    const still = page.getByTestId('frozen-still');
    await screen('frozen', async () => {
      s.at('the photo viewer and the chat closed');
      await button(page, 'chat.closePhoto').click();
      await viewer.waitFor({ state: 'detached' });
      await button(page, 'chat.close').click();
      await log.waitFor({ state: 'detached' });
      s.at('the console’s Freeze button enabled');
      const freeze = toolbar.getByRole('button', { name: 'Freeze', exact: true });
      await until(desk, "the console's Freeze button enabled", () => freeze.isEnabled().catch(() => false));
      await freeze.click();
      s.at('the frozen banner and still on the phone');
      await page.getByRole('status').filter({ hasText: t('annotations.frozenBanner') }).waitFor();
      await still.waitFor();
      await until(page, 'the frozen still loaded', () => imageLoaded(still));
      return page;
    });

    // The phone loses its network: the page says it is reconnecting; back online, the call resumes.
    const live = page.locator('.status-pill--live');
    const reconnecting = page.getByRole('status').filter({ hasText: t('call.reconnecting') });
    await screen('reconnecting', async () => {
      s.at('the still gone after Unfreeze');
      const unfreeze = toolbar.getByRole('button', { name: 'Unfreeze', exact: true });
      await until(desk, "the console's Unfreeze button", () => unfreeze.isVisible());
      await unfreeze.click();
      await still.waitFor({ state: 'detached' });
      // The page hears the browser's `offline` event and drops its relay socket at once; the video
      // runs browser to browser on this machine, so it goes on (tests/e2e/network-drop cuts the wire).
      s.at('"reconnecting" after the phone went offline');
      await phone.setOffline(true);
      await reconnecting.waitFor();
      return page;
    });

    // The call on a phone turned to landscape, and on a small phone.
    let firstViewport = true;
    for (const [name, size] of [
      ['call-landscape', { width: 844, height: 390 }],
      ['call-360x640', { width: 360, height: 640 }],
    ] as const) {
      await screen(name, async () => {
        if (firstViewport) {
          s.at('the call live again after the phone came back online');
          await phone.setOffline(false);
          await reconnecting.waitFor({ state: 'detached' });
          await live.waitFor();
          await untilTrue(page, VIDEOS_PLAYING_SCRIPT, 'both videos of the call playing', SLOW_MS);
          firstViewport = false;
        }
        s.at(`the call laid out at ${size.width}x${size.height}`);
        await page.setViewportSize(size);
        await until(page, `the call laid out at ${size.width}x${size.height}`, () =>
          page.evaluate(`window.innerWidth === ${size.width} && window.innerHeight === ${size.height}`) as Promise<boolean>,
        );
        await live.waitFor();
        return page;
      });
    }

    // The same link open in another tab, still on the consent screen, for after the call.
    let otherTab!: Page;
    await screen('confirm-end', async () => {
      await page.setViewportSize(PHONE_VIEWPORT);
      s.at('a second tab on the consent screen');
      otherTab = await phone.newPage();
      await otherTab.goto(inviteUrl);
      await otherTab.getByRole('checkbox', { name: t('consent.accept') }).check();
      s.at('the end confirmation on the phone');
      await button(page, 'call.end').click();
      await page.getByRole('alertdialog').waitFor();
      return page;
    });

    // The customer ends the call.
    await screen('ended', async () => {
      s.at('the "call ended" screen');
      await button(page, 'call.confirmLeave').click();
      await heading(page, 'ended.title').waitFor();
      await page.getByText(t('ended.byCustomer')).waitFor();
      return page;
    });
    await page.close();

    // After the call: the other tab tries to join, and the link opened afresh.
    await screen('link-ended-on-join', async () => {
      s.at('the second tab told the link has ended');
      await button(otherTab, 'consent.proceed').click();
      await heading(otherTab, 'invalid.ended.title').waitFor();
      return otherTab;
    });
    await otherTab.close();
    await screen('link-ended', async () => {
      s.at('the finished invite opened afresh');
      const later = await phone.newPage();
      const ended = await later.goto(inviteUrl);
      if (ended?.status() !== 410) throw new Error(`screen tour: the finished invite answered ${ended?.status()}, not 410`);
      await heading(later, 'invalid.ended.title').waitFor();
      return later;
    });
    return visited;
  } finally {
    for (const context of contexts) await context.close().catch(() => undefined);
    for (const p of agentPages) await p.close().catch(() => undefined);
  }
}
