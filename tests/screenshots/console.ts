import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { CONSOLE_SCREENS, LANGS, consoleScreenTour, type Lang } from '../support/consoleScreens.js';
import { startProduct, type RunningProduct } from '../support/product.js';

/**
 * `npm run screenshots:console [-- en|bg|de]` (default bg): one PNG per agent-side screen (ticket
 * sidebar and specialist console) at 1280x800, saved as artifacts/screenshots/console-<lang>/NN-name.png.
 * Starts its own product and browsers; run `npm run build` first. SCREENS_DEBUG=1 prints progress.
 */

async function main(): Promise<void> {
  const lang = (process.argv[2] ?? 'bg') as Lang;
  if (!LANGS.includes(lang)) throw new Error(`usage: npm run screenshots:console [-- ${LANGS.join('|')}] (got "${lang}")`);
  const folder = join(process.cwd(), 'artifacts', 'screenshots', `console-${lang}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });

  let product: RunningProduct | null = null;
  const browsers: Browser[] = [];
  let saved = 0;
  try {
    product = await startProduct();
    const [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    browsers.push(browser, phoneBrowser);
    await consoleScreenTour({
      browser,
      phoneBrowser,
      baseUrl: product.url,
      lang,
      log: process.env.SCREENS_DEBUG ? (line) => console.error(line) : undefined,
      visit: async (name, page) => {
        const n = String(CONSOLE_SCREENS.indexOf(name) + 1).padStart(2, '0');
        await page.screenshot({ path: join(folder, `${n}-${name}.png`) });
        saved += 1;
      },
    });
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await product?.close();
  }
  console.log(`${saved} screenshots of the agent screens (${lang}) in ${relative(process.cwd(), folder)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
