import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { screenshotsOnFailure, statusPill } from '../support/call-screen.js';
import { agentStartsVideo, customerJoins, presentedFrames } from '../support/journey.js';
import { peerConnections, ratesBetween, recordPeerConnections, uplink } from '../support/peer-connections.js';
import { fitted, type Size } from '../support/picture.js';
import { shapedLinksUnavailable } from '../support/shaped-link.js';
import { phoneBehindShapedLink } from '../support/shaped-suite.js';

/**
 * The quality ladder on a real thin link: the phone's Chromium sits behind a veth link shaped with
 * tc (support/shaped-link.ts) and the test turns the rate down and up as a basement would. The
 * phone's page carries its ladder step (`data-quality-step`); the console shows what the
 * specialist sees of it. Times are the issue's limits, not the machine's speed: the ladder reacts
 * to what the link reports once a second.
 */

const unavailable = shapedLinksUnavailable();
const SHOTS = process.env.LADDER_SHOTS;

/** The phone's status pill, its sockets' closes and its peer connections' states: where a stall came from. */
async function diagnostics(phone: Page): Promise<string> {
  const pill = await phone.locator('.status-pill').textContent();
  const closes = String(await phone.evaluate('JSON.stringify(window.__wsCloses ?? [])'));
  const pcs = (await peerConnections(phone)).map((p) => p.states.at(-1)).join(',');
  return `${pill ?? ''} ws-closes=${closes} pcs=${pcs}`;
}

function stepOf(phone: Page): Promise<string | null> {
  return phone.locator('.call').getAttribute('data-quality-step');
}

/** Waits until the phone's step is one of `steps`; answers how long it took (ms). */
async function stepWithin(phone: Page, steps: string[], timeoutMs: number): Promise<number> {
  const start = Date.now();
  await expect.poll(() => stepOf(phone), { timeout: timeoutMs, interval: 250 }).toSatisfy((s: string | null) => steps.includes(s ?? ''));
  return Date.now() - start;
}

async function audioPackets(desk: Frame): Promise<number> {
  return (await peerConnections(desk)).reduce((sum, pc) => sum + pc.audioPacketsReceived, 0);
}

function natural(img: HTMLImageElement): Promise<Size> {
  return new Promise((resolve) => {
    const done = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    if (img.complete && img.naturalWidth > 0) done();
    else img.addEventListener('load', done, { once: true });
  });
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

describe.skipIf(unavailable !== null)(`the quality ladder on a shaped link${unavailable ? ` (${unavailable})` : ''}`, () => {
  const world = phoneBehindShapedLink(2000);

  it(
    '2 Mbit/s: top step; 150 kbit/s: a lower video step; 40 kbit/s: voice only, voice flowing, a full-resolution still with the rectangle on the phone; 2 Mbit/s again: video back',
    { timeout: 420_000 },
    async () => {
      const shaped = world.link;
      const agent = await newAgentContext(world.browser, world.product.url);
      const customer = await newPhoneContext(world.phoneBrowser, world.product.url);
      await Promise.all([recordPeerConnections(agent), recordPeerConnections(customer)]);
      if (process.env.LADDER_LOG) {
        await customer.addInitScript({
          content: `(() => { const N = window.WebSocket; window.__wsCloses = []; window.WebSocket = class extends N { constructor(...a) { super(...a); this.addEventListener('close', (e) => window.__wsCloses.push([Math.round(performance.now()), e.code, e.reason])); } }; })();`,
        });
      }
      try {
        const { page, console: desk, inviteUrl } = await agentStartsVideo(agent, 1201);
        const phone = await customerJoins(customer, inviteUrl);
        // LADDER_LOG=<file>: a line a second of the phone's step, estimate and what it sends (what to look at when this fails).
        const trace = process.env.LADDER_LOG;
        if (trace) {
          const t = () => new Date().toISOString().slice(11, 19);
          phone.on('request', (r) => {
            if (r.url().includes('/uploads')) appendFileSync(trace, `${t()} upload start ${r.postDataBuffer()?.length ?? '?'} bytes\n`);
          });
          phone.on('requestfinished', (r) => {
            if (r.url().includes('/uploads')) appendFileSync(trace, `${t()} upload finished\n`);
          });
          phone.on('requestfailed', (r) => {
            if (r.url().includes('/uploads')) appendFileSync(trace, `${t()} upload failed ${r.failure()?.errorText}\n`);
          });
        }
        const logger = trace
          ? setInterval(() => {
              void (async () => {
                const a = await uplink(phone);
                await phone.waitForTimeout(500);
                const b = await uplink(phone);
                const r = ratesBetween(a, b);
                const at = new Date().toISOString().slice(11, 19);
                const est = b.availableKbps?.toFixed(0) ?? '-';
                appendFileSync(
                  trace,
                  `${at} ${await stepOf(phone)} est=${est} rtt=${b.rttMs ?? '-'} lost=${b.fractionLost ?? '-'} video=${r.videoKbps.toFixed(0)} audio=${r.audioKbps.toFixed(0)} kbit/s ${await diagnostics(phone)}\n`,
                );
              })().catch((e: unknown) => appendFileSync(trace, `error ${String(e)}\n`));
            }, 1000)
          : null;
        await statusPill(phone, 'Live').waitFor({ timeout: 60_000 });
        const remote = desk.getByTestId('remote-video');
        await expect.poll(() => presentedFrames(remote), { timeout: 60_000 }).toBeGreaterThan(0);

        // 2 Mbit/s: the top step, and it stays there (ten readings over ten seconds).
        // Each reading keeps what the ladder decided on, so a failure says why it stepped down.
        const atTop: (string | null)[] = [];
        const readings: string[] = [];
        for (let i = 0; i < 10; i += 1) {
          const step = await stepOf(phone);
          const link = await uplink(phone);
          atTop.push(step);
          readings.push(
            `${step} est=${link.availableKbps?.toFixed(0) ?? '-'} rtt=${link.rttMs ?? '-'} lost=${link.fractionLost ?? '-'} limited=${link.limitedBy ?? '-'} fps=${link.sentFps ?? '-'}`,
          );
          await phone.waitForTimeout(1000);
        }
        expect(new Set(atTop), readings.join(' | ')).toEqual(new Set(['high']));

        // 150 kbit/s: a lower video step within 15 s, and it settles there: video, never voice only,
        // from the moment it got there to 15 s after the link thinned.
        await shaped.shape(150);
        const thinned = Date.now();
        await stepWithin(phone, ['medium', 'low'], 15_000);
        const settled: (string | null)[] = [];
        while (Date.now() - thinned < 15_000) {
          settled.push(await stepOf(phone));
          await phone.waitForTimeout(500);
        }
        expect(settled.filter((step) => step !== 'medium' && step !== 'low')).toEqual([]);
        await desk.getByTestId('reduced-quality').waitFor({ timeout: 10_000 });

        // 40 kbit/s: voice only within 15 s; both screens say so; the voice keeps arriving.
        await shaped.shape(40);
        await stepWithin(phone, ['audio'], 15_000);
        await phone.getByTestId('weak-connection').waitFor({ timeout: 10_000 });
        await desk.getByTestId('voice-only').waitFor({ timeout: 10_000 });
        await shot(phone, 'phone-voice-only');
        await shot(page, 'console-voice-only');
        const heard = await audioPackets(desk);
        await expect.poll(() => audioPackets(desk), { timeout: 15_000 }).toBeGreaterThan(heard + 20);

        // A still on voice only: asked for, taken at full size on the phone, uploaded over the thin link.
        const toolbar = desk.getByRole('toolbar', { name: 'Annotation tools' });
        await toolbar.getByRole('button', { name: 'Freeze', exact: true }).click();
        const consoleStill = desk.getByTestId('console-still');
        await consoleStill.waitFor({ timeout: 120_000 });
        const onConsole = await consoleStill.evaluate(natural);
        expect(onConsole.width).toBeGreaterThanOrEqual(1280);
        expect(onConsole.height).toBeGreaterThanOrEqual(720);
        await toolbar.getByRole('button', { name: 'Rectangle', exact: true }).click();
        const box = (await consoleStill.boundingBox())!;
        const c = fitted({ left: box.x, top: box.y, width: box.width, height: box.height }, onConsole, 'contain');
        await page.mouse.move(c.left + 0.4 * c.width, c.top + 0.3 * c.height);
        await page.mouse.down();
        await page.mouse.move(c.left + 0.6 * c.width, c.top + 0.7 * c.height, { steps: 10 });
        await page.mouse.up();
        const phoneStill = phone.getByTestId('frozen-still');
        await phoneStill.waitFor({ timeout: 60_000 });
        expect(await phoneStill.evaluate(natural)).toEqual(onConsole);
        await phone.locator('[data-testid="customer-annotations"] g[data-tool="rectangle"]').first().waitFor({ timeout: 60_000 });
        await shot(phone, 'phone-still-on-voice-only');
        await shot(page, 'console-still-on-voice-only');
        await toolbar.getByRole('button', { name: 'Unfreeze', exact: true }).click();

        // 2 Mbit/s again: video within 30 s, and the console's picture moves again.
        await shaped.shape(2000);
        await stepWithin(phone, ['low', 'medium', 'high'], 30_000);
        const frames = await presentedFrames(remote);
        await expect.poll(() => presentedFrames(remote), { timeout: 15_000 }).toBeGreaterThan(frames + 10);
        if (logger) clearInterval(logger);
      } catch (error) {
        await screenshotsOnFailure('quality-ladder', [agent, customer]);
        throw error;
      } finally {
        await agent.close();
        await customer.close();
      }
    },
  );
});
