/**
 * Join time: from the customer pressing `Proceed with the call` (camera and microphone already
 * allowed, as for a returning customer) to the first remote video frame the specialist's console
 * presents. The agent and the phone are two browsers on this machine (a phone shares no camera with
 * the console), so Date.now() is one clock for both.
 */
import type { Frame } from 'playwright-core';
import { launchBrowser, newAgentContext, newPhoneContext } from '../../tests/support/browser.js';
import { agentStartsVideo, passLocationStepIfShown } from '../../tests/support/journey.js';
import { startRelayProcess } from '../relay-process.js';
import { median, ms, percentile } from '../stats.js';

const JOINS = Number(process.env.JOINS ?? 12);
const WARMUP = 2;

/**
 * Resolves (in the console frame) with Date.now() at the first frame of a new remote track.
 * Kept as source text: tsx would wrap named functions in a helper the page does not have.
 */
const FIRST_FRAME_PROBE = `new Promise((resolve, reject) => {
  const current = () => document.querySelector('[data-testid="remote-video"]');
  const trackOf = (v) => (v && v.srcObject instanceof MediaStream ? v.srcObject.getVideoTracks()[0]?.id : undefined) ?? null;
  const before = trackOf(current());
  const started = performance.now();
  const tick = () => {
    const video = current();
    const track = trackOf(video);
    if (video && track && track !== before) {
      video.requestVideoFrameCallback(() => resolve(Date.now()));
      return;
    }
    if (performance.now() - started > 30000) reject(new Error('no new remote track within 30 s'));
    else setTimeout(tick, 2);
  };
  tick();
})`;

function armFirstFrameProbe(specialist: Frame): Promise<number> {
  return specialist.evaluate(FIRST_FRAME_PROBE) as Promise<number>;
}

async function main(): Promise<void> {
  const product = await startRelayProcess();
  const [browser, phoneBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
  const samples: number[] = [];
  try {
    const agent = await newAgentContext(browser, product.url);
    const { console: specialist, inviteUrl } = await agentStartsVideo(agent);
    for (let i = 0; i < JOINS + WARMUP; i += 1) {
      const customer = await newPhoneContext(phoneBrowser, product.url, 'en-US', { grantMedia: true });
      const page = await customer.newPage();
      await page.goto(inviteUrl);
      await page.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
      const firstFrame = armFirstFrameProbe(specialist);
      const pressedAt = Date.now();
      await page.getByRole('button', { name: 'Proceed with the call' }).click();
      await passLocationStepIfShown(page);
      const shownAt = await firstFrame;
      if (i >= WARMUP) samples.push(shownAt - pressedAt);
      await customer.close();
      // Let the relay free the customer seat before the next device joins.
      await specialist.waitForTimeout(300);
    }
    await agent.close();
  } finally {
    await Promise.all([browser.close(), phoneBrowser.close()]);
    await product.close();
  }
  console.log(`joins measured: ${samples.length} (after ${WARMUP} warm-up)`);
  console.log(`Proceed → first remote frame on the agent side: median ${ms(median(samples))}, p95 ${ms(percentile(samples, 95))}, min ${ms(Math.min(...samples))}, max ${ms(Math.max(...samples))}`);
  console.log(`target: median < 1000 ms → ${median(samples) < 1000 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
