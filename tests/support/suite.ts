import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startProduct, type RunningProduct } from './product.js';

export interface Suite {
  readonly product: RunningProduct;
  /** The agent's desktop browser. */
  readonly browser: Browser;
  /**
   * The customer's phone: a browser of its own, as in life. Chromium shares one capture device
   * among all pages of a browser and opens it at the first page's size, so a phone page next to
   * the console (which asks for 640x360) would film at 640x360 instead of its 1280x720.
   */
  readonly phoneBrowser: Browser;
}

/**
 * The whole product (relay + sandbox on a free port), the agent's browser and the customer's, for
 * a test file: started before its tests and stopped after them. `phoneVideo` gives the phone's
 * fake camera a picture to film (a .y4m file's path, written before the browser starts).
 */
export function productAndBrowser(
  env: Record<string, string> = {},
  engine: 'sqlite' | 'postgres' = 'sqlite',
  opts: { phoneVideo?: () => Promise<string> } = {},
): Suite {
  let product: RunningProduct | undefined;
  let browser: Browser | undefined;
  let phoneBrowser: Browser | undefined;
  beforeAll(async () => {
    product = await startProduct(env, {}, engine);
    const fakeVideo = await opts.phoneVideo?.();
    [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchBrowser([], fakeVideo ? { fakeVideo } : {})]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), phoneBrowser?.close()]);
    await product?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before beforeAll started it`);
    return value;
  };
  return {
    get product() {
      return started(product, 'the product');
    },
    get browser() {
      return started(browser, 'the browser');
    },
    get phoneBrowser() {
      return started(phoneBrowser, 'the phone browser');
    },
  };
}
