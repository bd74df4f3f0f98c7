import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Debian Chromium with a fake camera/mic that never prompts. With
 * `answerMediaPrompts: false` a camera request is refused unless the context was granted
 * `camera`/`microphone` (how a test models a customer who pressed "Block"). `executablePath`
 * starts Chromium through a wrapper (one that runs it in a network namespace, shaped-link-browser.ts).
 * `fakeVideo` (a .y4m file, y4m.ts) makes the fake camera film that picture instead of its test
 * pattern: the phone's browser showing a scene (a type plate) to the camera.
 */
export function launchBrowser(
  extraArgs: string[] = [],
  opts: { answerMediaPrompts?: boolean; executablePath?: string; fakeVideo?: string } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: opts.executablePath ?? CHROMIUM_PATH,
    headless: true,
    args: [
      ...(opts.answerMediaPrompts === false ? [] : ['--use-fake-ui-for-media-stream']),
      '--use-fake-device-for-media-stream',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      // Background tabs would throttle timers and rAF; two contexts share one browser here.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      ...(opts.fakeVideo ? [`--use-file-for-fake-video-capture=${opts.fakeVideo}`] : []),
      ...extraArgs,
    ],
  });
}

/**
 * Chromium's switch that lets a plain-http origin other than localhost use the camera, as HTTPS
 * would: for a product at `http://<address>:<port>` (startProductAt).
 */
export const secureOriginFlag = (origin: string) => `--unsafely-treat-insecure-origin-as-secure=${origin}`;

export const AGENT_VIEWPORT = { width: 1280, height: 800 } as const;
export const PHONE_VIEWPORT = { width: 390, height: 844 } as const;

/**
 * `bypassCSP`: for benches that run a bare reference inside the product's own pages (a socket to
 * their own server), which the pages' Content-Security-Policy would refuse; nothing the product
 * does changes with it.
 */
export interface ContextOptions {
  bypassCSP?: boolean;
}

export function newAgentContext(browser: Browser, baseURL: string, opts: ContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: AGENT_VIEWPORT,
    baseURL,
    permissions: ['camera', 'microphone', 'clipboard-read', 'clipboard-write'],
    ...(opts.bypassCSP ? { bypassCSP: true } : {}),
  });
}

export function newPhoneContext(
  browser: Browser,
  baseURL: string,
  locale = 'en-US',
  opts: { grantMedia?: boolean } & ContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: PHONE_VIEWPORT,
    baseURL,
    locale,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
    // By default nothing is pre-granted: the page must ask, as on a real phone, and the fake-UI
    // flag answers yes. `grantMedia` models a returning customer who allowed the site before.
    permissions: opts.grantMedia ? ['camera', 'microphone'] : [],
    ...(opts.bypassCSP ? { bypassCSP: true } : {}),
  });
}
