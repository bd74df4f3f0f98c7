import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

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

/** Resolves once the screen has settled (see SETTLE_SCRIPT). */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(SETTLE_SCRIPT);
}

/**
 * Serious and critical axe findings on the screen once it has settled, as readable lines (empty:
 * none). Mid fade-in, text is part transparent and axe would report contrast that nobody sees.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await settled(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
