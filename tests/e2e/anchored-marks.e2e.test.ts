import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { agentStartsVideo, customerJoins, framesRiseOverOneSecond, presentedFrames } from '../support/journey.js';
import { productAndBrowser } from '../support/suite.js';
import { writeBarcodedMovingObjectY4m } from '../support/frame-barcode.js';
import type { MovingObjectScene } from '../support/moving-object.js';
import {
  centreError,
  drawRectangleOnObject,
  installFrameDecoder,
  lastInsideFrame,
  samplePhone,
  type PhoneSample,
} from '../support/anchored-call.js';

/**
 * Marks that stay on the object: the phone films a textured object moving over a still background
 * (`moving-object.ts`, up to 20 % of the frame width a second, turning and growing a little; each
 * frame's index stamped in a corner). The specialist drags a rectangle around it on the live
 * video; 5 s of the clip later the phone still draws it around the object, and when the object
 * leaves the picture the mark fades on the phone and the console offers to pin it again.
 */

/** 20 s at 15 fps, the last 3 s leaving: 300 frames of 640x360 (104 MB of y4m). */
const CLIP = { seconds: 20, fps: 15, exitSeconds: 3, seed: 3 } as const;

/**
 * How far the mark's centre may be from the object's: 3 % of the frame width (the benchmark's
 * goal) from where the object was at some moment of the last 600 ms. The mark moves with what
 * the console measured on a frame it received, so it shows the object's place of one camera →
 * console → tracker → phone trip ago (~150–300 ms idle, more on a loaded CI machine): at up to
 * 20 % of the width a second that trip alone is worth up to 6 %, which the lag window absorbs,
 * and the 3 % is left for the tracking itself and the drag's own aim.
 */
const TOLERANCE = 0.03;
const LAG_MS = 600;

const dir = mkdtempSync(join(tmpdir(), 'anchored-e2e-'));
let scene: MovingObjectScene | null = null;
const suite = productAndBrowser({}, 'sqlite', {
  phoneVideo: async () => {
    const path = join(dir, 'moving-object.y4m');
    scene = await writeBarcodedMovingObjectY4m(path, CLIP);
    return path;
  },
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ANCHOR_SHOTS=<dir>: the phone and the console while the mark tracks and once it is lost (to look at). */
const SHOTS = process.env.ANCHOR_SHOTS;
async function shot(target: { screenshot(o: { path: string }): Promise<unknown> }, name: string): Promise<void> {
  if (SHOTS) await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('anchored marks: a rectangle drawn on live video stays on the object on the phone', () => {
  it(
    'is around the object 5 s later and fades, with "Pin again" on the console, once the object has left',
    { timeout: 300_000 },
    async () => {
      const clip = scene!;
      const agent = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      try {
        const said: string[] = [];
        agent.on('console', (m) => {
          if (m.text().includes('[anchoring]')) said.push(m.text());
        });
        agent.on('weberror', (e) => said.push(`page error: ${e.error().message}`));
        const { page, console: desk, inviteUrl } = await agentStartsVideo(agent, 1203);
        const phone = await customerJoins(customer, inviteUrl);
        const remote = desk.getByTestId('remote-video');
        await expect.poll(() => presentedFrames(remote), { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
        await framesRiseOverOneSecond(remote);
        await installFrameDecoder(desk);
        await installFrameDecoder(phone);
        await desk.getByRole('toolbar', { name: 'Annotation tools' }).getByRole('button', { name: 'Rectangle', exact: true }).click();

        // 5 s of tracking plus a second of samples must fit before the object leaves.
        const fiveSeconds = 5 * clip.fps;
        const drawnOn = await drawRectangleOnObject(desk, page, clip, { runway: fiveSeconds + 2 * clip.fps, timeoutMs: 120_000 });

        // The phone gets the mark, anchored, and then moves it.
        const mark = phone.locator('[data-testid="customer-annotations"] g[data-mark-id]');
        await expect
          .poll(() => mark.getAttribute('data-anchor'), { timeout: 30_000 })
          .toBe('tracking')
          .catch((error: unknown) => {
            throw new Error(`the mark never showed as tracking on the phone; console said: ${said.join(' | ')}`, { cause: error });
          });

        // Wait (on the picture's own clock) until the phone shows the clip 5 s after the drawing.
        let samples: PhoneSample[] = [];
        const deadline = Date.now() + 60_000;
        for (;;) {
          samples = await samplePhone(phone, clip.width, 1);
          const at = samples[0]?.index ?? null;
          if (at !== null && at >= drawnOn + fiveSeconds && at <= lastInsideFrame(clip)) break;
          if (Date.now() > deadline) throw new Error(`the phone never showed frame ${drawnOn + fiveSeconds}; last ${String(at)}`);
        }
        samples = await samplePhone(phone, clip.width, 15);
        const lag = Math.ceil((LAG_MS / 1000) * clip.fps);
        const errors = samples.map((s) => centreError(clip, s, lag)).filter((e): e is number => e !== null);
        const listing = samples
          .map((s) => `#${String(s.index)} ${s.mark ? `${s.mark.state} (${s.mark.x.toFixed(3)}, ${s.mark.y.toFixed(3)})` : 'no mark'}`)
          .join(', ');
        expect(errors.length, `readable samples: ${listing}`).toBeGreaterThanOrEqual(10);
        expect(
          samples.every((s) => s.mark?.state === 'tracking' && s.mark.opacity === 1),
          `shown on every frame: ${listing}; console said: ${said.join(' | ')}`,
        ).toBe(true);
        expect(
          median(errors),
          `centre errors ${errors.map((e) => (e * 100).toFixed(1)).join(', ')} % (${listing}); console said: ${said.join(' | ')}`,
        ).toBeLessThanOrEqual(TOLERANCE);

        await shot(phone, 'phone-anchored-tracking');
        await shot(page, 'console-anchored-tracking');

        // The object leaves the picture: the mark fades on the phone and the console says so.
        await expect.poll(() => mark.getAttribute('data-anchor'), { timeout: 60_000, interval: 200 }).toBe('lost');
        expect(Number(await mark.getAttribute('opacity'))).toBeLessThan(0.5);
        await expect.poll(() => phone.getByTestId('anchor-lost').textContent()).toContain('The mark lost sight of the object');
        const card = desk.getByTestId('anchor-lost');
        await expect.poll(() => card.textContent()).toContain('Lost the object');
        expect(await card.getByRole('button', { name: 'Pin again' }).isVisible()).toBe(true);
        await shot(phone, 'phone-anchored-lost');
        await shot(page, 'console-anchored-lost');
      } finally {
        await Promise.all([agent.close(), customer.close()]);
      }
    },
  );
});
