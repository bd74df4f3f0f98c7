import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { TEXT_RULES, plantAxeProbe, seriousAxeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { CONSOLE_BUDGETS_MS, CONSOLE_SCREENS } from '../support/consoleScreens.js';
import {
  CUSTOMER_BUDGETS_MS,
  CUSTOMER_SCREENS,
  LANGS,
  TOUR_PRODUCT_ENV,
  launchTourBrowser,
  type Lang,
} from '../support/customerScreens.js';
import { appFrame } from '../support/journey.js';
import { startProduct, type RunningProduct } from '../support/product.js';
import { screenTour } from '../support/screenTour.js';
import { totalBudget } from '../support/steps.js';

/**
 * Every screen of the customer's phone page and of the agent's side (the ticket sidebar and the
 * specialist console), in English, Bulgarian and German, has no serious or critical axe finding.
 * One tour per language (tests/support/screenTour.ts) runs a whole session and visits both sides'
 * screens in the same call. English runs every WCAG A/AA rule; the other languages the rules a
 * translation can break (TEXT_RULES). Findings are collected with their screen and reported
 * together. Every screen has its own time budget; SCREENS_DEBUG=1 prints where the tour is and how
 * long each screen took.
 */

const TICKETS: Record<Lang, number> = { en: 1201, bg: 1202, de: 1203 };

let product: RunningProduct;
let browser: Browser;
let phoneBrowser: Browser;
const violations: string[] = [];
const wrapped: string[] = [];

beforeAll(async () => {
  product = await startProduct(TOUR_PRODUCT_ENV);
  [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchTourBrowser()]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), phoneBrowser?.close()]);
  await product?.close();
});

const rulesFor = (lang: Lang) => (lang === 'en' ? undefined : TEXT_RULES);

/**
 * Rows of the console that must not wrap in any language: the customer's line in the header (a
 * second row pushes the whole console down, e.g. while "End session" asks) and the annotation tool
 * bar. Returns the ones whose items do not share one row (their vertical centres differ).
 */
const WRAPPED_ROWS_SCRIPT = `(() => {
  const rows = { 'customer header': '[data-testid="customer-header"]', 'tool bar': '[data-testid="annotation-toolbar"]' };
  return Object.entries(rows).filter(([, selector]) => {
    const row = document.querySelector(selector);
    const centres = row ? [...row.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 1 && r.height > 1).map((r) => r.top + r.height / 2) : [];
    return centres.length > 0 && Math.max(...centres) - Math.min(...centres) > 4;
  }).map(([name]) => name);
})()`;

/**
 * axe on what the app draws on the agent's page: its sidebar frame and, when open, its console
 * frame. The sandbox's own page stands in for Zendesk's, whose chrome is not ours to fix.
 */
async function appViolations(page: Page, lang: Lang = 'en'): Promise<string[]> {
  const include = ['iframe.app-frame'];
  if ((await page.locator('iframe.modal-frame').count()) > 0) include.push('iframe.modal-frame');
  return seriousAxeViolations(page, { include, legacyMode: true, rules: rulesFor(lang) });
}

/**
 * axe must reach into the app's iframes, or a clean result would mean nothing: a nameless button
 * put into a frame has to come back as a `button-name` finding there.
 */
async function axeSeesInto(page: Page, frame: Frame, where: string): Promise<void> {
  const remove = await plantAxeProbe(frame);
  try {
    const found = await appViolations(page);
    expect(
      found.filter((v) => v.includes('button-name') && v.includes('#axe-probe')),
      `axe in the ${where} frame`,
    ).toHaveLength(1);
  } finally {
    await remove();
  }
}

describe('axe on every customer and agent screen', () => {
  it.each(LANGS)(
    '%s: the tour visits every screen',
    async (lang) => {
      const visited = await screenTour({
        browser,
        phoneBrowser,
        baseUrl: product.url,
        lang,
        ticketId: TICKETS[lang],
        log: process.env.SCREENS_DEBUG ? (line) => console.error(line) : undefined,
        visitCustomer: async (name, page) => {
          for (const v of await seriousAxeViolations(page, { legacyMode: true, rules: rulesFor(lang) }))
            violations.push(`${lang} phone ${name}: ${v}`);
        },
        visitAgent: async (name, page) => {
          if (lang === 'en' && name === 'console-waiting') {
            await axeSeesInto(page, await appFrame(page, 'ticket_sidebar'), 'sidebar');
            await axeSeesInto(page, await appFrame(page, 'modal'), 'console');
          }
          // The tour finds every control by its name in `lang`; the frame's language is what a
          // screen reader picks its voice by.
          const app = await appFrame(page, name.startsWith('sidebar') ? 'ticket_sidebar' : 'modal');
          expect(await app.evaluate(() => document.documentElement.lang), `${name}: language of the app frame`).toBe(lang);
          for (const v of await appViolations(page, lang)) violations.push(`${lang} agent ${name}: ${v}`);
          if (name.startsWith('console')) {
            for (const row of (await app.evaluate(WRAPPED_ROWS_SCRIPT)) as string[]) wrapped.push(`${lang} ${name}: ${row}`);
          }
        },
      });
      expect(visited.customer).toEqual([...CUSTOMER_SCREENS]);
      expect(visited.agent).toEqual([...CONSOLE_SCREENS]);
      // Each screen has its own budget inside the tour; a failure names the screen.
    },
    totalBudget({ ...CUSTOMER_BUDGETS_MS, ...CONSOLE_BUDGETS_MS }),
  );

  it('axe finds no serious or critical violation on any visited screen', () => {
    expect(violations).toEqual([]);
  });

  it('the console header and the tool bar stay on one row in every language', () => {
    expect(wrapped).toEqual([]);
  });
});
