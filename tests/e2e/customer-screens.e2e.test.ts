import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { TEXT_RULES, seriousAxeViolations } from '../support/axe.js';
import { newAgentContext } from '../support/browser.js';
import { CUSTOMER_BUDGETS_MS, CUSTOMER_SCREENS, LANGS, TOUR_PRODUCT_ENV, customerScreenTour, launchTourBrowser, type Lang } from '../support/customerScreens.js';
import { startProduct, type RunningProduct } from '../support/product.js';
import { totalBudget } from '../support/steps.js';

/**
 * Every customer screen, in English, Bulgarian and German, has no serious or critical axe finding:
 * the screen tour (tests/support/customerScreens.ts) walks a real phone page and the specialist
 * console through them all. Findings are collected with their screen and reported together.
 * Every screen has its own time budget; SCREENS_DEBUG=1 prints where the tour is and how long each
 * screen took.
 */

const TICKETS: Record<Lang, number> = { en: 1201, bg: 1202, de: 1203 };

let product: RunningProduct;
let browser: Browser;
let agent: BrowserContext;
const violations: string[] = [];

beforeAll(async () => {
  product = await startProduct(TOUR_PRODUCT_ENV);
  browser = await launchTourBrowser();
  agent = await newAgentContext(browser, product.url);
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
});

describe('axe on every customer screen', () => {
  it.each(LANGS)('%s: the tour visits every screen', async (lang) => {
    const visited = await customerScreenTour({
      browser,
      baseUrl: product.url,
      agent,
      lang,
      ticketId: TICKETS[lang],
      log: process.env.SCREENS_DEBUG ? (line) => console.error(line) : undefined,
      visit: async (name, page) => {
        for (const v of await seriousAxeViolations(page, { legacyMode: true, rules: lang === 'en' ? undefined : TEXT_RULES })) violations.push(`${lang} ${name}: ${v}`);
      },
    });
    expect(visited).toEqual([...CUSTOMER_SCREENS]);
    // Each screen has its own budget inside the tour; a failure names the screen.
  }, totalBudget(CUSTOMER_BUDGETS_MS));

  it('axe finds no serious or critical violation on any visited screen', () => {
    expect(violations).toEqual([]);
  });
});
