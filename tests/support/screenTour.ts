import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { PHONE_VIEWPORT, newAgentContext, newPhoneContext } from './browser.js';
import { settled } from './axe.js';
import { AGENT_LOCALE, CONSOLE_BUDGETS_MS, appTranslator, type ConsoleScreen } from './consoleScreens.js';
import {
  CHAT_TEXT,
  CUSTOMER_BUDGETS_MS,
  FACEBOOK_IN_APP_UA,
  PHONE_LOCALES,
  VIDEOS_PLAYING_SCRIPT,
  translator,
  type CustomerScreen,
  type Lang,
} from './customerScreens.js';
import { pumpPhoto } from './fixtures.js';
import { appFrame, presentedFrames, untilTrue } from './journey.js';
import { fitted } from './picture.js';
import { steps } from './steps.js';

/**
 * The screen tour: one whole session in one language, the customer's phone (390x844) and the
 * agent's ticket page (1280x800, sidebar and specialist console) both in that language, driven
 * through every screen either of them can see. One call serves both sides: the call is what costs
 * on a two-core machine. At each screen, once it has settled (its own content visible, fonts loaded,
 * entrance animations finished), the tour calls `visitCustomer(name, phonePage)` or
 * `visitAgent(name, agentPage)`: the e2e test runs axe there, the screenshot scripts save PNGs.
 *
 * `invalid-link` and `link-ended` are an unknown and a finished invite opened afresh (the relay
 * answers 404/410 with the customer page, which says why); `link-ended-on-join` is a tab left on
 * the consent screen that tries to join after the call.
 */

export interface TourOptions {
  /** The agent's desktop browser. */
  browser: Browser;
  /** The customer's phone: its own browser, not answering camera prompts (launchTourBrowser). */
  phoneBrowser: Browser;
  /** The product's base URL (startProduct(TOUR_PRODUCT_ENV).url). */
  baseUrl: string;
  lang: Lang;
  visitCustomer?: (name: CustomerScreen, page: Page) => Promise<void>;
  visitAgent?: (name: ConsoleScreen, page: Page) => Promise<void>;
  /** The sandbox ticket of this tour; one per tour (1201–1204 are seeded). */
  ticketId?: number;
  /** Progress lines (where a slow or stuck run is). */
  log?: (line: string) => void;
}

export interface Visited {
  customer: CustomerScreen[];
  agent: ConsoleScreen[];
}

/** Visible states may take this long on two shared cores running two browsers. */
const SLOW_MS = 45_000;

/** Where the pump is: the customer shares it, as most do, and the console shows it. */
const PUMP_LOCATION = { latitude: 42.6977, longitude: 23.3219, accuracy: 25 };

/** An image that has loaded and decoded (a thumbnail, the full-size photo, a still, a snapshot). */
const imageLoaded = (image: Locator) => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false);

/** Polls `check` until it holds; throws `what` after `timeoutMs`. A wait on a visible state, never a sleep. */
async function until(page: Page | Frame, what: string, check: () => Promise<boolean>, timeoutMs = SLOW_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`screen tour: ${what} (waited ${timeoutMs} ms)`);
    await page.waitForTimeout(150);
  }
}

/**
 * The console shows the customer's camera: frames presented, and more of them a moment later. A
 * string, not a function: the screenshot scripts run under tsx, whose helpers a function would
 * drag into the page.
 */
const REMOTE_VIDEO_SHOWS_FRAMES = `(() => {
  const v = document.querySelector('video[data-testid="remote-video"]');
  return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
})()`;

async function remoteVideoPlays(desk: Frame): Promise<void> {
  await untilTrue(desk, REMOTE_VIDEO_SHOWS_FRAMES, 'the customer’s video showing frames in the console', SLOW_MS);
  const video = desk.getByTestId('remote-video');
  const before = await presentedFrames(video);
  await until(desk, 'the customer’s video moving in the console', async () => (await presentedFrames(video)) > before + 2);
}

type Picture = 'remote-video' | 'console-still';

/** Page point of a fraction of the customer's picture, letterboxed (object-fit contain): the live video or the still. */
async function onPicture(desk: Frame, picture: Picture, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const element = desk.getByTestId(picture);
  const box = await element.boundingBox();
  if (!box) throw new Error(`screen tour: the ${picture} has no box`);
  const size = await element.evaluate((e: HTMLVideoElement | HTMLImageElement) =>
    e instanceof HTMLVideoElement ? { width: e.videoWidth, height: e.videoHeight } : { width: e.naturalWidth, height: e.naturalHeight },
  );
  const c = fitted({ left: box.x, top: box.y, width: box.width, height: box.height }, size, 'contain');
  return { x: c.left + fx * c.width, y: c.top + fy * c.height };
}

async function drag(page: Page, desk: Frame, picture: Picture, from: [number, number], to: [number, number]): Promise<void> {
  const a = await onPicture(desk, picture, ...from);
  const b = await onPicture(desk, picture, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Runs the whole tour in one language and returns the screens visited on each side, in order.
 * Each screen has its own budget (CUSTOMER_BUDGETS_MS, CONSOLE_BUDGETS_MS); a failure names the
 * screen and the last state seen. Everything it opens is closed again, also when a step fails.
 */
export async function screenTour(opts: TourOptions): Promise<Visited> {
  const { baseUrl, lang } = opts;
  const ticketId = opts.ticketId ?? 1201;
  const t = translator(lang);
  const at = appTranslator(lang);
  const text = CHAT_TEXT[lang];
  const s = steps(`screen tour ${lang}`, opts.log);
  const visited: Visited = { customer: [], agent: [] };
  // Closed in `finally`; a list, as they are opened inside the screens' closures.
  const contexts: BrowserContext[] = [];

  const phoneContext = async (userAgent?: string) => {
    const context = userAgent
      ? await opts.phoneBrowser.newContext({
          viewport: PHONE_VIEWPORT,
          baseURL: baseUrl,
          locale: PHONE_LOCALES[lang],
          isMobile: true,
          hasTouch: true,
          deviceScaleFactor: 2,
          userAgent,
        })
      : await newPhoneContext(opts.phoneBrowser, baseUrl, PHONE_LOCALES[lang]);
    context.setDefaultTimeout(SLOW_MS);
    contexts.push(context);
    return context;
  };

  try {
    const agent = await newAgentContext(opts.browser, baseUrl);
    contexts.push(agent);
    agent.setDefaultTimeout(SLOW_MS);
    const desktop = await agent.newPage();
    const phone = await phoneContext();

    /** The work leading to a customer screen, then the visit on the page it returns, within the screen's budget. */
    const customerScreen = (name: CustomerScreen, work: () => Promise<Page>) =>
      s.screen(name, CUSTOMER_BUDGETS_MS[name], async () => {
        const page = await work();
        s.at('the screen settled (fonts, animations)');
        await settled(page);
        s.at('the visit (axe or screenshot)');
        await opts.visitCustomer?.(name, page);
        visited.customer.push(name);
      });
    /** The same for a screen of the agent's ticket page. */
    const agentScreen = (name: ConsoleScreen, work: () => Promise<void>) =>
      s.screen(name, CONSOLE_BUDGETS_MS[name], async () => {
        await work();
        // No tooltip or hover state left from the last click, and no pointer over the picture.
        await desktop.mouse.move(2, 790);
        s.at('the screen settled (fonts, animations)');
        await settled(desktop);
        s.at('the visit (axe or screenshot)');
        await opts.visitAgent?.(name, desktop);
        visited.agent.push(name);
      });

    const heading = (page: Page, key: string) => page.getByRole('heading', { name: t(key) });
    const button = (page: Page, key: string) => page.getByRole('button', { name: t(key), exact: true });
    const appButton = (frame: Frame, key: string, vars?: Record<string, string | number>) =>
      frame.getByRole('button', { name: at(key, vars), exact: true });
    const withLang = (url: string) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

    // A link with an unknown token: 404, and the page says so in the customer's language.
    let stray!: Page;
    await customerScreen('invalid-link', async () => {
      s.at('an unknown invite opened');
      stray = await phone.newPage();
      const unknown = await stray.goto(withLang('/join/NoSuchInviteToken123'));
      if (unknown?.status() !== 404) throw new Error(`screen tour: an unknown invite answered ${unknown?.status()}, not 404`);
      await heading(stray, 'invalid.not-found.title').waitFor();
      return stray;
    });

    // The agent opens the ticket, starts the video and opens the specialist console.
    let sidebar!: Frame;
    let desk!: Frame;
    let inviteUrl = '';
    await agentScreen('sidebar-start', async () => {
      s.at('the ticket page');
      await desktop.goto(`/sandbox/tickets/${ticketId}?locale=${AGENT_LOCALE[lang]}`);
      s.at('the sidebar frame');
      sidebar = await appFrame(desktop, 'ticket_sidebar', SLOW_MS);
      s.at('the Start video button and the intro');
      await appButton(sidebar, 'sidebar.startVideo').waitFor();
      await sidebar.getByText(at('sidebar.intro')).waitFor();
    });
    await agentScreen('sidebar-invite', async () => {
      s.at('the invite link after Start video');
      await appButton(sidebar, 'sidebar.startVideo').click();
      const inviteField = sidebar.getByRole('textbox', { name: at('sidebar.inviteLink') });
      await inviteField.waitFor();
      inviteUrl = withLang(await inviteField.inputValue());
      s.at('the Open specialist view button');
      await appButton(sidebar, 'sidebar.openConsole').waitFor();
    });
    const deskLog = () => desk.getByRole('log', { name: at('chat.messages') });
    await agentScreen('console-waiting', async () => {
      s.at('the console frame');
      await appButton(sidebar, 'sidebar.openConsole').click();
      desk = await appFrame(desktop, 'modal', SLOW_MS);
      s.at('the console heading, "not joined" and the empty chat');
      await desk.getByRole('heading', { name: at('console.ticket', { ticketId }) }).waitFor();
      await desk.getByText(at('console.notJoined')).waitFor();
      await deskLog().getByText(at('chat.empty')).waitFor();
    });

    // The invite could not be loaded (no answer from the relay).
    await customerScreen('load-failed', async () => {
      s.at('the invite opened without an answer from the relay');
      // The page came without the relay's invite answer (the data block of join-page.ts), so it
      // asks the API, and that request fails.
      await stray.route(inviteUrl, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(/<script type="application\/json" id="live-assist-invite">.*?<\/script>/, '');
        await route.fulfill({ response, body });
      });
      await stray.route('**/api/invites/**', (route) => route.abort('internetdisconnected'));
      await stray.goto(inviteUrl);
      await heading(stray, 'invalid.network.title').waitFor();
      await button(stray, 'invalid.retry').waitFor();
      return stray;
    });
    await stray.close();

    // The same link opened inside Facebook's in-app browser first: it gets as far as the camera step.
    let inApp!: BrowserContext;
    await customerScreen('in-app-browser', async () => {
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
    const page = await phone.newPage();
    const accept = () => page.getByRole('checkbox', { name: t('consent.accept') });
    await customerScreen('consent', async () => {
      s.at('the consent screen');
      await page.goto(inviteUrl);
      await accept().waitFor();
      return page;
    });
    await customerScreen('in-use', async () => {
      s.at('"in use" after Proceed while the in-app browser holds the seat');
      await accept().check();
      await button(page, 'consent.proceed').click();
      await heading(page, 'inUse.title').waitFor();
      return page;
    });

    // The customer closes the in-app browser and tries again: now the seat is free.
    const share = button(page, 'journey.location.share');
    await customerScreen('location', async () => {
      s.at('the location step after "Try again" on the in-use screen');
      await inApp.close();
      await until(page, 'the location step after "Try again" on the in-use screen', async () => {
        if (await share.isVisible()) return true;
        const retry = button(page, 'invalid.retry');
        if (await retry.isVisible()) await retry.click({ timeout: 2000 }).catch(() => undefined);
        await share.waitFor({ timeout: 2000 }).catch(() => undefined);
        return share.isVisible();
      });
      return page;
    });

    // The customer shares where the pump is. Camera: the first answer is "Block" (no permission
    // in this context), then allowed.
    const allow = button(page, 'permissions.allow');
    await customerScreen('camera', async () => {
      s.at('the camera step after the location was shared');
      await phone.grantPermissions(['geolocation']);
      await phone.setGeolocation(PUMP_LOCATION);
      await share.click();
      await allow.waitFor();
      return page;
    });
    await customerScreen('camera-denied', async () => {
      s.at('the help after the camera was blocked');
      await allow.click();
      await page.getByText(t('journey.help.title'), { exact: false }).waitFor();
      await button(page, 'permissions.retry').waitFor();
      return page;
    });

    // The call, once both pictures are there.
    await customerScreen('call', async () => {
      s.at('the call screen after the camera was allowed');
      await phone.grantPermissions(['geolocation', 'camera', 'microphone']);
      await button(page, 'permissions.retry').click();
      await button(page, 'call.end').waitFor();
      await page.locator('.status-pill--live').waitFor();
      s.at('both videos of the call playing');
      await untilTrue(page, VIDEOS_PLAYING_SCRIPT, 'both videos of the call playing', SLOW_MS);
      return page;
    });

    // The specialist marks the picture; customer and specialist chat; the customer sends a photo.
    const toolbar = () => desk.getByRole('toolbar', { name: at('annotations.toolbar') });
    const tool = (key: string) => toolbar().getByRole('button', { name: at(key), exact: true });
    const marks = () => page.locator('[data-testid="customer-annotations"] g[data-mark-id]');
    const log = page.getByRole('log', { name: t('chat.messages') });
    const deskPhoto = () => deskLog().getByRole('img', { name: at('chat.photoFrom', { n: 1, name: at('chat.customer') }) });
    await customerScreen('chat', async () => {
      s.at('the customer’s video playing in the console');
      await remoteVideoPlays(desk);
      await until(desk, 'the annotation tools enabled', () => tool('annotations.rectangle').isEnabled());
      s.at('a rectangle and an arrow on the customer’s screen');
      await tool('annotations.rectangle').click();
      await drag(desktop, desk, 'remote-video', [0.38, 0.28], [0.62, 0.7]);
      await tool('annotations.arrow').click();
      await drag(desktop, desk, 'remote-video', [0.2, 0.85], [0.37, 0.62]);
      await until(page, 'both marks on the customer’s screen', async () => (await marks().count()) === 2);

      s.at('the customer’s message sent and in the console');
      await button(page, 'chat.open').click();
      const composer = page.getByRole('textbox', { name: t('chat.message') });
      await composer.fill(text.problem);
      await button(page, 'chat.send').click();
      await log.getByText(t('chat.status.sent'), { exact: true }).waitFor();
      await deskLog().getByText(text.problem).waitFor();
      s.at('the specialist’s quoted reply on the phone');
      await deskLog()
        .getByRole('button', { name: at('chat.replyTo', { name: at('chat.customer') }), exact: true })
        .click();
      await desk.getByRole('textbox', { name: at('chat.message') }).fill(text.ask);
      await appButton(desk, 'chat.send').click();
      await log.locator('li[data-status]').filter({ hasText: text.ask }).locator('blockquote').waitFor();
      s.at('the customer’s photo sent and its thumbnail loaded');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button(page, 'chat.attach').click()]);
      await chooser.setFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: await pumpPhoto() });
      await composer.fill(text.photo);
      await button(page, 'chat.send').click();
      const thumbnail = log.getByRole('img', { name: t('chat.photoFrom', { n: 1, name: t('chat.you') }) });
      await thumbnail.waitFor();
      await until(
        page,
        'all three chat messages sent and the photo thumbnail loaded',
        async () => (await log.locator('li[data-status="sent"]').count()) === 3 && (await imageLoaded(thumbnail)),
      );
      return page;
    });
    await agentScreen('console-call', async () => {
      s.at('the customer’s photo in the console chat');
      await until(desk, 'the customer’s photo in the console chat', () => imageLoaded(deskPhoto()));
      s.at('the customer’s video still moving');
      await remoteVideoPlays(desk);
    });

    // The photo at full size.
    const viewer = page.getByRole('dialog', { name: t('chat.photo') });
    await customerScreen('photo-viewer', async () => {
      s.at('the full-size photo');
      await log.getByRole('button', { name: t('chat.photoFrom', { n: 1, name: t('chat.you') }) }).click();
      await until(page, 'the full-size photo', () => imageLoaded(viewer.getByRole('img')));
      return page;
    });

    // The specialist freezes the picture and marks the still: banner, still and mark on the phone.
    const still = page.getByTestId('frozen-still');
    await customerScreen('frozen', async () => {
      s.at('the photo viewer and the chat closed');
      await button(page, 'chat.closePhoto').click();
      await viewer.waitFor({ state: 'detached' });
      await button(page, 'chat.close').click();
      await log.waitFor({ state: 'detached' });
      s.at('the console’s Freeze button enabled');
      await until(desk, "the console's Freeze button enabled", () =>
        tool('annotations.freeze')
          .isEnabled()
          .catch(() => false),
      );
      await tool('annotations.freeze').click();
      s.at('the frozen banner and still on the phone');
      await page
        .getByRole('status')
        .filter({ hasText: t('annotations.frozenBanner') })
        .waitFor();
      await still.waitFor();
      await until(page, 'the frozen still loaded', () => imageLoaded(still));
      // What a still is for: a mark that stays put on it (the live marks went with the live picture).
      s.at('the still in the console');
      await until(desk, 'the customer’s still in the console', () => imageLoaded(desk.getByTestId('console-still')));
      await tool('annotations.unfreeze').waitFor();
      s.at('the mark on the customer’s frozen still');
      await tool('annotations.rectangle').click();
      await drag(desktop, desk, 'console-still', [0.3, 0.35], [0.55, 0.8]);
      await until(page, 'the mark on the customer’s frozen still', async () => (await marks().count()) === 1);
      return page;
    });
    await agentScreen('console-frozen', async () => {
      s.at('the still and the Unfreeze button in the console');
      await tool('annotations.unfreeze').waitFor();
    });
    await agentScreen('console-snapshot', async () => {
      s.at('the snapshot in the snapshot list');
      await tool('annotations.snapshot').click();
      const snapshot = desk.getByRole('img', { name: at('annotations.snapshotAlt', { n: 1 }) });
      await until(desk, 'the snapshot in the snapshot list', () => imageLoaded(snapshot));
    });

    // The phone loses its network: the page says it is reconnecting; back online, the call resumes.
    const live = page.locator('.status-pill--live');
    const reconnecting = page.getByRole('status').filter({ hasText: t('call.reconnecting') });
    await customerScreen('reconnecting', async () => {
      s.at('the still gone after Unfreeze');
      await tool('annotations.unfreeze').click();
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
      await customerScreen(name, async () => {
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
        await until(
          page,
          `the call laid out at ${size.width}x${size.height}`,
          () => page.evaluate(`window.innerWidth === ${size.width} && window.innerHeight === ${size.height}`) as Promise<boolean>,
        );
        await live.waitFor();
        return page;
      });
    }

    // The specialist asks to end, and thinks better of it: the customer ends the call instead.
    const endConfirm = () => desk.getByText(at('console.endConfirm'));
    await agentScreen('console-confirm-end', async () => {
      s.at('the end confirmation in the console');
      await appButton(desk, 'console.endSession').click();
      await endConfirm().waitFor();
      await appButton(desk, 'app.cancel').waitFor();
    });

    // The same link open in another tab, still on the consent screen, for after the call.
    let otherTab!: Page;
    await customerScreen('confirm-end', async () => {
      s.at('the console’s end confirmation cancelled');
      await appButton(desk, 'app.cancel').click();
      await endConfirm().waitFor({ state: 'detached' });
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
    await customerScreen('ended', async () => {
      s.at('the "call ended" screen');
      await button(page, 'call.confirmLeave').click();
      await heading(page, 'ended.title').waitFor();
      await page.getByText(t('ended.byCustomer')).waitFor();
      return page;
    });
    await page.close();
    await agentScreen('console-ended', async () => {
      s.at('the "session ended" heading in the console');
      await desk.getByRole('heading', { name: at('console.ended.title') }).waitFor();
    });
    await agentScreen('sidebar-ended', async () => {
      s.at('the console closed');
      await appButton(desk, 'console.close').click();
      await desktop.locator('iframe.modal-frame').waitFor({ state: 'detached' });
      s.at('the sidebar saying "ended" and the note written');
      await sidebar.getByTestId('customer-status').and(sidebar.locator('[data-status="ended"]')).waitFor();
      await sidebar.getByTestId('note-status').and(sidebar.locator('[data-state="done"]')).waitFor();
      await appButton(sidebar, 'sidebar.startVideo').waitFor();
    });

    // After the call: the other tab tries to join, and the link opened afresh.
    await customerScreen('link-ended-on-join', async () => {
      s.at('the second tab told the link has ended');
      await button(otherTab, 'consent.proceed').click();
      await heading(otherTab, 'invalid.ended.title').waitFor();
      return otherTab;
    });
    await otherTab.close();
    await customerScreen('link-ended', async () => {
      s.at('the finished invite opened afresh');
      const later = await phone.newPage();
      const ended = await later.goto(inviteUrl);
      if (ended?.status() !== 410) throw new Error(`screen tour: the finished invite answered ${ended?.status()}, not 410`);
      await heading(later, 'invalid.ended.title').waitFor();
      return later;
    });
    return visited;
  } finally {
    for (const context of contexts.reverse()) await context.close().catch(() => undefined);
  }
}
