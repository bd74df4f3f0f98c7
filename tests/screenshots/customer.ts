import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { newAgentContext } from '../support/browser.js';
import { CUSTOMER_SCREENS, LANGS, TOUR_PRODUCT_ENV, customerScreenTour, launchTourBrowser, type Lang } from '../support/customerScreens.js';
import { startProduct, type RunningProduct } from '../support/product.js';

/**
 * `npm run screenshots [-- en|bg|de]` (default bg): one PNG per customer screen at 390x844 (the
 * call also at 844x390 and 360x640), saved as artifacts/screenshots/customer-<lang>/NN-name.png.
 * Starts its own product and browser; run `npm run build` first. SCREENS_DEBUG=1 prints progress.
 */

async function main(): Promise<void> {
  const lang = (process.argv[2] ?? 'bg') as Lang;
  if (!LANGS.includes(lang)) throw new Error(`usage: npm run screenshots [-- ${LANGS.join('|')}] (got "${lang}")`);
  const folder = join(process.cwd(), 'artifacts', 'screenshots', `customer-${lang}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });

  let product: RunningProduct | null = null;
  let browser: Browser | null = null;
  let saved = 0;
  try {
    product = await startProduct(TOUR_PRODUCT_ENV);
    browser = await launchTourBrowser();
    const agent = await newAgentContext(browser, product.url);
    await customerScreenTour({
      browser,
      baseUrl: product.url,
      agent,
      lang,
      log: process.env.SCREENS_DEBUG ? (line) => console.error(line) : undefined,
      visit: async (name, page) => {
        const n = String(CUSTOMER_SCREENS.indexOf(name) + 1).padStart(2, '0');
        // CSS pixels: the PNG is exactly the viewport (390x844, or the other sizes the tour sets).
        await page.screenshot({ path: join(folder, `${n}-${name}.png`), scale: 'css' });
        saved += 1;
      },
    });
  } finally {
    await browser?.close();
    await product?.close();
  }
  console.log(`${saved} screenshots of the customer screens (${lang}) in ${relative(process.cwd(), folder)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
