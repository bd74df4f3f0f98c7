import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, secureOriginFlag } from './browser.js';
import { startProductAt, type RunningProduct } from './product.js';
import { openShapedLink, type ShapedLink } from './shaped-link.js';
import { launchBrowserIn } from './shaped-link-browser.js';

/** The phone behind a shaped link, and everything the call needs around it. */
export interface PhoneBehindLink {
  readonly link: ShapedLink;
  /** Listening on the link's host end, so invite links name an address the phone reaches. */
  readonly product: RunningProduct;
  /** The agent's browser, on the host (not shaped). */
  readonly browser: Browser;
  /** The phone's browser, inside the link's network namespace. */
  readonly phoneBrowser: Browser;
  close(): Promise<void>;
}

/** Opens the link at `kbit`, the product on its host end, and both browsers. */
export async function openPhoneBehindLink(kbit: number): Promise<PhoneBehindLink> {
  const link = await openShapedLink();
  try {
    await link.shape(kbit);
    const product = await startProductAt(link.hostIp);
    // http://<hostIp>:<port> is no secure context: without the flag neither side may use the camera.
    const [browser, phoneBrowser] = await Promise.all([
      launchBrowser([secureOriginFlag(product.url)]),
      launchBrowserIn(link.namespace, [secureOriginFlag(product.url)]),
    ]);
    return {
      link,
      product,
      browser,
      phoneBrowser,
      async close() {
        await Promise.all([browser.close(), phoneBrowser.close()]);
        await product.close();
        await link.close();
      },
    };
  } catch (error) {
    await link.close();
    throw error;
  }
}

/** The same for a test file: opened before its tests, closed after them. */
export function phoneBehindShapedLink(kbit: number): PhoneBehindLink {
  let opened: PhoneBehindLink | undefined;
  beforeAll(async () => {
    opened = await openPhoneBehindLink(kbit);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const started = (): PhoneBehindLink => {
    if (!opened) throw new Error('the shaped link is used before beforeAll opened it');
    return opened;
  };
  return {
    get link() {
      return started().link;
    },
    get product() {
      return started().product;
    },
    get browser() {
      return started().browser;
    },
    get phoneBrowser() {
      return started().phoneBrowser;
    },
    close: () => started().close(),
  };
}
