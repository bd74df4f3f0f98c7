import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from './browser.js';
import { settled } from './axe.js';
import { pumpPhoto } from './fixtures.js';
import { LANGS, type Lang } from './customerScreens.js';
import { appFrame, customerJoins, presentedFrames, untilTrue } from './journey.js';
import { fitted } from './picture.js';
import { steps } from './steps.js';

/**
 * The agent-side tour: the sandbox ticket page at 1280x800 in one agent language (`?locale=`),
 * its Live Assist sidebar and the specialist console (the ZAF modal), through a whole session with
 * a real customer page on a phone in its own browser. At each screen, once it has settled, the
 * tour calls `visit(name, page)` with the agent's page: the e2e test runs axe there (the app
 * frames included), `npm run screenshots:console` saves a PNG.
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

export type Visit = (name: ConsoleScreen, page: Page) => Promise<void>;

/** Visible states may take this long on two shared cores running two browsers. */
const SLOW_MS = 30_000;

/** The agent's language as Zendesk spells it in `currentUser.locale` (sandbox `?locale=`). */
const AGENT_LOCALE: Record<Lang, string> = { en: 'en-US', bg: 'bg', de: 'de' };

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

/** What customer and specialist write, in the agent's language (the customer page stays English). */
const CHAT_TEXT: Record<Lang, { problem: string; ask: string; photo: string; thanks: string }> = {
  en: {
    problem: 'The pump makes a clicking noise',
    ask: 'Please send me a photo of the label',
    photo: 'Here it is',
    thanks: 'Thank you, I can read the type now',
  },
  bg: {
    problem: 'Помпата издава щракащ звук',
    ask: 'Моля, изпратете ми снимка на табелката',
    photo: 'Ето я',
    thanks: 'Благодаря, вече виждам модела',
  },
  de: {
    problem: 'Die Pumpe macht ein klickendes Geräusch',
    ask: 'Bitte schicken Sie mir ein Foto vom Typenschild',
    photo: 'Hier ist es',
    thanks: 'Danke, jetzt kann ich den Typ lesen',
  },
};

/**
 * The console shows the customer's camera: frames presented, and more of them a moment later. A
 * string, not a function: `npm run screenshots:console` runs under tsx, whose helpers a function
 * would drag into the page (journey.ts's framesRiseOverOneSecond fails there for that reason).
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

const imageLoaded = (image: Locator) =>
  image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false);

/** Polls `check` until it holds; throws `what` after `timeoutMs`. A wait on a visible state, never a sleep. */
async function until(page: Page | Frame, what: string, check: () => Promise<boolean>, timeoutMs = SLOW_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`console tour: ${what} (waited ${timeoutMs} ms)`);
    await page.waitForTimeout(150);
  }
}

type Picture = 'remote-video' | 'console-still';

/** Page point of a fraction of the customer's picture, letterboxed (object-fit contain): the live video or the still. */
async function onPicture(desk: Frame, picture: Picture, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const element = desk.getByTestId(picture);
  const box = await element.boundingBox();
  if (!box) throw new Error(`console tour: the ${picture} has no box`);
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

export interface ConsoleTourOptions {
  /** The agent's desktop browser. */
  browser: Browser;
  /** The customer's phone: its own browser (tests/support/suite.ts says why). */
  phoneBrowser: Browser;
  /** The product's base URL (startProduct().url). */
  baseUrl: string;
  lang: Lang;
  visit: Visit;
  /** The sandbox ticket of this tour; one per tour (1201–1204 are seeded). */
  ticketId?: number;
  /** Progress lines (where a slow or stuck run is). */
  log?: (line: string) => void;
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
  'console-frozen': 90_000,
  'console-snapshot': 60_000,
  'console-confirm-end': 60_000,
  'console-ended': 60_000,
  'sidebar-ended': 90_000,
};

/**
 * Runs the whole agent-side tour in one language and returns the screens visited, in order. Each
 * screen has its own budget (CONSOLE_BUDGETS_MS); a failure names the screen and the last state
 * seen. Everything it opens is closed again, also when a step fails.
 */
export async function consoleScreenTour(opts: ConsoleTourOptions): Promise<ConsoleScreen[]> {
  const { lang, baseUrl } = opts;
  const ticketId = opts.ticketId ?? 1201;
  const t = appTranslator(lang);
  const text = CHAT_TEXT[lang];
  const s = steps(`console tour ${lang}`, opts.log);
  const visited: ConsoleScreen[] = [];
  // Closed in `finally`; a list, as they are opened inside the screens' closures.
  const contexts: BrowserContext[] = [];

  try {
    const agent = await newAgentContext(opts.browser, baseUrl);
    contexts.push(agent);
    agent.setDefaultTimeout(SLOW_MS);
    const page = await agent.newPage();
    const visit = async (name: ConsoleScreen) => {
      // No tooltip or hover state left from the last click, and no pointer over the picture.
      await page.mouse.move(2, 790);
      s.at('the screen settled (fonts, animations)');
      await settled(page);
      s.at('the visit (axe or screenshot)');
      await opts.visit(name, page);
      visited.push(name);
    };
    const screen = (name: ConsoleScreen, work: () => Promise<void>) =>
      s.screen(name, CONSOLE_BUDGETS_MS[name], async () => {
        await work();
        await visit(name);
      });
    const button = (frame: Frame, key: string, vars?: Record<string, string | number>) =>
      frame.getByRole('button', { name: t(key, vars), exact: true });

    let sidebar!: Frame;
    let desk!: Frame;
    let phone!: Page;
    let inviteUrl = '';
    await screen('sidebar-start', async () => {
      s.at('the ticket page');
      await page.goto(`/sandbox/tickets/${ticketId}?locale=${AGENT_LOCALE[lang]}`);
      s.at('the sidebar frame');
      sidebar = await appFrame(page, 'ticket_sidebar', SLOW_MS);
      s.at('the Start video button and the intro');
      await button(sidebar, 'sidebar.startVideo').waitFor();
      await sidebar.getByText(t('sidebar.intro')).waitFor();
    });

    await screen('sidebar-invite', async () => {
      s.at('the invite link after Start video');
      await button(sidebar, 'sidebar.startVideo').click();
      const inviteField = sidebar.getByRole('textbox', { name: t('sidebar.inviteLink') });
      await inviteField.waitFor();
      inviteUrl = await inviteField.inputValue();
      s.at('the Open specialist view button');
      await button(sidebar, 'sidebar.openConsole').waitFor();
    });

    await screen('console-waiting', async () => {
      s.at('the console frame');
      await button(sidebar, 'sidebar.openConsole').click();
      desk = await appFrame(page, 'modal', SLOW_MS);
      s.at('the console heading, "not joined" and the empty chat');
      await desk.getByRole('heading', { name: t('console.ticket', { ticketId }) }).waitFor();
      await desk.getByText(t('console.notJoined')).waitFor();
      await desk.getByRole('log', { name: t('chat.messages') }).getByText(t('chat.empty')).waitFor();
    });

    const toolbar = () => desk.getByRole('toolbar', { name: t('annotations.toolbar') });
    const marks = () => phone.locator('[data-testid="customer-annotations"] g[data-mark-id]');
    await screen('console-call', async () => {
      s.at('the customer joining from the phone');
      const phoneContext = await newPhoneContext(opts.phoneBrowser, baseUrl);
      contexts.push(phoneContext);
      // The customer shares where the pump is, as most do: the console shows it during the call.
      await phoneContext.grantPermissions(['geolocation']);
      await phoneContext.setGeolocation({ latitude: 42.6977, longitude: 23.3219, accuracy: 25 });
      phoneContext.setDefaultTimeout(SLOW_MS);
      phone = await customerJoins(phoneContext, inviteUrl, { shareLocation: true });
      s.at('the customer’s video playing in the console');
      await remoteVideoPlays(desk);
      await until(desk, 'the annotation tools enabled', () => button(desk, 'annotations.rectangle').isEnabled());

      s.at('a rectangle and an arrow on the customer’s screen');
      await toolbar().getByRole('button', { name: t('annotations.rectangle'), exact: true }).click();
      await drag(page, desk, 'remote-video', [0.38, 0.28], [0.62, 0.7]);
      await toolbar().getByRole('button', { name: t('annotations.arrow'), exact: true }).click();
      await drag(page, desk, 'remote-video', [0.2, 0.85], [0.37, 0.62]);
      await until(phone, 'both marks on the customer’s screen', async () => (await marks().count()) === 2);

      s.at('the customer’s first chat message in the console');
      const deskLog = desk.getByRole('log', { name: t('chat.messages') });
      await phone.getByRole('button', { name: 'Chat', exact: true }).click();
      const composer = phone.getByRole('textbox', { name: 'Message' });
      await composer.fill(text.problem);
      await phone.getByRole('button', { name: 'Send', exact: true }).click();
      await deskLog.getByText(text.problem).waitFor();
      s.at('the specialist’s reply sent');
      await deskLog.getByRole('button', { name: t('chat.replyTo', { name: t('chat.customer') }) }).click();
      await desk.getByRole('textbox', { name: t('chat.message') }).fill(text.ask);
      await button(desk, 'chat.send').click();
      await deskLog.locator('li[data-status="sent"]').filter({ hasText: text.ask }).waitFor();
      s.at('the customer’s photo in the console chat');
      const [chooser] = await Promise.all([
        phone.waitForEvent('filechooser'),
        phone.getByRole('button', { name: 'Attach photo' }).click(),
      ]);
      await chooser.setFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: await pumpPhoto() });
      await composer.fill(text.photo);
      await phone.getByRole('button', { name: 'Send', exact: true }).click();
      const photo = deskLog.getByRole('img', { name: t('chat.photoFrom', { n: 1, name: t('chat.customer') }) });
      await until(desk, 'the customer’s photo in the console chat', () => imageLoaded(photo));
      s.at('the specialist’s thanks sent');
      await desk.getByRole('textbox', { name: t('chat.message') }).fill(text.thanks);
      await button(desk, 'chat.send').click();
      await deskLog.locator('li[data-status="sent"]').filter({ hasText: text.thanks }).waitFor();
      s.at('the customer’s video still moving');
      await remoteVideoPlays(desk);
    });

    await screen('console-frozen', async () => {
      s.at('the still in the console after Freeze');
      await toolbar().getByRole('button', { name: t('annotations.freeze'), exact: true }).click();
      const still = desk.getByTestId('console-still');
      await until(desk, 'the customer’s still in the console', () => imageLoaded(still));
      await toolbar().getByRole('button', { name: t('annotations.unfreeze'), exact: true }).waitFor();
      // What a still is for: a mark that stays put on it (the live marks went with the live picture).
      s.at('the mark on the customer’s frozen still');
      await toolbar().getByRole('button', { name: t('annotations.rectangle'), exact: true }).click();
      await drag(page, desk, 'console-still', [0.3, 0.35], [0.55, 0.8]);
      await until(phone, 'the mark on the customer’s frozen still', async () => (await marks().count()) === 1);
    });

    await screen('console-snapshot', async () => {
      s.at('the snapshot in the snapshot list');
      await toolbar().getByRole('button', { name: t('annotations.snapshot'), exact: true }).click();
      const snapshot = desk.getByRole('img', { name: t('annotations.snapshotAlt', { n: 1 }) });
      await until(desk, 'the snapshot in the snapshot list', () => imageLoaded(snapshot));
    });

    await screen('console-confirm-end', async () => {
      s.at('the end confirmation');
      await button(desk, 'console.endSession').click();
      await desk.getByText(t('console.endConfirm')).waitFor();
      await button(desk, 'app.cancel').waitFor();
    });

    await screen('console-ended', async () => {
      s.at('the "session ended" heading');
      await button(desk, 'console.endSession').click();
      await desk.getByRole('heading', { name: t('console.ended.title') }).waitFor();
    });

    await screen('sidebar-ended', async () => {
      s.at('the console closed');
      await button(desk, 'console.close').click();
      await page.locator('iframe.modal-frame').waitFor({ state: 'detached' });
      s.at('the sidebar saying "ended" and the note written');
      await sidebar.getByTestId('customer-status').and(sidebar.locator('[data-status="ended"]')).waitFor();
      await sidebar.getByTestId('note-status').and(sidebar.locator('[data-state="done"]')).waitFor();
      await button(sidebar, 'sidebar.startVideo').waitFor();
    });
    return visited;
  } finally {
    for (const context of contexts.reverse()) await context.close().catch(() => undefined);
  }
}
