import { AxeBuilder } from '@axe-core/playwright';
import type { Frame, Page } from 'playwright-core';

/**
 * A screen is settled when its fonts are in and its entrance animations and transitions (sheet
 * slide-in, fades) have finished; endless ones (spinners, the live dot) and long ones (the
 * redirect countdown bar) are left running.
 */
const SETTLE_SCRIPT = `(async () => {
  await document.fonts.ready;
  const finite = document.getAnimations().filter((a) => {
    const end = a.effect && a.effect.getComputedTiming().endTime;
    return a.playState === 'running' && typeof end === 'number' && end <= 5000;
  });
  await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
})()`;

/**
 * Resolves once the screen has settled (see SETTLE_SCRIPT), embedded frames included: the
 * helpdesk's app iframes (sidebar, console modal) animate on their own document timelines.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(SETTLE_SCRIPT);
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    // A frame may navigate or go away meanwhile (a modal closing): nothing left to wait for there.
    await frame.evaluate(SETTLE_SCRIPT).catch(() => undefined);
  }
}

export interface AxeScope {
  /**
   * Only these parts of the page, as CSS selectors; an iframe's selector takes in its whole
   * document. A helpdesk page hosting the app has chrome that is not the app's to fix.
   */
  include?: string[];
  /** These parts left out (the app's own frames, when the page around them is judged). */
  exclude?: string[];
  /**
   * axe's legacy mode: one run in the page that reaches same-origin frames by messaging, instead of
   * a run per frame finished in a new blank page (a second or more per screen on two cores).
   */
  legacyMode?: boolean;
  /** Only these axe rules (see TEXT_RULES) instead of every WCAG A/AA rule. */
  rules?: readonly string[];
}

/**
 * Serious and critical axe findings on the screen once it has settled, as readable lines (empty:
 * none). Mid fade-in, text is part transparent and axe would report contrast that nobody sees.
 */
export async function seriousAxeViolations(page: Page, scope: AxeScope = {}): Promise<string[]> {
  await settled(page);
  const builder = new AxeBuilder({ page });
  if (!scope.rules) builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of scope.include ?? []) builder.include(selector);
  for (const selector of scope.exclude ?? []) builder.exclude(selector);
  if (scope.legacyMode) builder.setLegacyMode(true);
  if (scope.rules) builder.withRules([...scope.rules]);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A clean axe result means something only if axe looked where the test thinks: this puts a nameless
 * button (`#axe-probe`, a critical `button-name` finding) into a document and returns its remover.
 */
export async function plantAxeProbe(where: Page | Frame): Promise<() => Promise<void>> {
  await where.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'axe-probe' })));
  return async () => {
    await where.evaluate(() => document.getElementById('axe-probe')?.remove());
  };
}

/**
 * The axe rules a translation can break: accessible names and labels (an empty or missing string)
 * and the document's language. Contrast, roles and structure are the same in every language, so a
 * tour in a second language runs only these (the first language runs every rule).
 */
export const TEXT_RULES = [
  'aria-command-name',
  'aria-dialog-name',
  'aria-input-field-name',
  'aria-meter-name',
  'aria-progressbar-name',
  'aria-toggle-field-name',
  'aria-tooltip-name',
  'button-name',
  'document-title',
  'frame-title',
  'html-has-lang',
  'html-lang-valid',
  'image-alt',
  'input-button-name',
  'input-image-alt',
  'label',
  'link-name',
  'role-img-alt',
  'select-name',
  'svg-img-alt',
  'valid-lang',
] as const;
