import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { CONSOLE_SCREENS } from '../support/consoleScreens.js';
import { CUSTOMER_SCREENS, LANGS, TOUR_PRODUCT_ENV, launchTourBrowser, type Lang } from '../support/customerScreens.js';
import { startProduct, type RunningProduct } from '../support/product.js';
import { screenTour } from '../support/screenTour.js';

/**
 * `npm run screenshots [-- en|bg|de]` (default bg): one PNG per screen of the screen tour, saved as
 * artifacts/screenshots/customer-<lang>/NN-name.png (the phone at 390x844, the call also at 844x390
 * and 360x640) and artifacts/screenshots/console-<lang>/NN-name.png (the agent's ticket sidebar and
 * console at 1280x800). Starts its own product and browsers; run `npm run build` first.
 * SCREENS_DEBUG=1 prints progress.
 */

function freshFolder(name: string): string {
  const folder = join(process.cwd(), 'artifacts', 'screenshots', name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}

const numbered = (list: readonly string[], name: string) => `${String(list.indexOf(name) + 1).padStart(2, '0')}-${name}.png`;

async function main(): Promise<void> {
  const lang = (process.argv[2] ?? 'bg') as Lang;
  if (!LANGS.includes(lang)) throw new Error(`usage: npm run screenshots [-- ${LANGS.join('|')}] (got "${lang}")`);
  const customerFolder = freshFolder(`customer-${lang}`);
  const consoleFolder = freshFolder(`console-${lang}`);

  let product: RunningProduct | null = null;
  const browsers: Browser[] = [];
  try {
    product = await startProduct(TOUR_PRODUCT_ENV);
    const [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchTourBrowser()]);
    browsers.push(browser, phoneBrowser);
    const visited = await screenTour({
      browser,
      phoneBrowser,
      baseUrl: product.url,
      lang,
      log: process.env.SCREENS_DEBUG ? (line) => console.error(line) : undefined,
      visitCustomer: async (name, page) => {
        // CSS pixels: the PNG is exactly the viewport (390x844, or the other sizes the tour sets).
        await page.screenshot({ path: join(customerFolder, numbered(CUSTOMER_SCREENS, name)), scale: 'css' });
      },
      visitAgent: async (name, page) => {
        await page.screenshot({ path: join(consoleFolder, numbered(CONSOLE_SCREENS, name)) });
      },
    });
    console.log(`${visited.customer.length} screenshots of the customer screens (${lang}) in ${relative(process.cwd(), customerFolder)}/`);
    console.log(`${visited.agent.length} screenshots of the agent screens (${lang}) in ${relative(process.cwd(), consoleFolder)}/`);
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await product?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
