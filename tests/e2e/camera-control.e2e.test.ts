import { describe, expect, it } from 'vitest';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { giveCameraControls, phoneCameraSettings, FULL_PHONE_CAMERA } from '../support/camera-shim.js';
import { screenshotsOnFailure } from '../support/call-screen.js';
import { agentStartsVideo, customerJoins, presentedFrames } from '../support/journey.js';
import { fitted } from '../support/picture.js';
import { productAndBrowser } from '../support/suite.js';

/**
 * Camera control end to end: the console offers only what the phone's camera reports, a change is
 * made on the phone's own track (read back with getSettings()), the phone says so, and the
 * customer can take it back. Chromium's fake camera has no light, zoom or focus: the test gives it
 * them at the browser API (support/camera-shim.ts).
 */

const suite = productAndBrowser();

/** A folder to keep screenshots of the lit phone and the console's camera bar in (`CAMERA_SHOTS=dir`). */
const SHOTS = process.env.CAMERA_SHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function phoneWith(
  camera: Parameters<typeof giveCameraControls>[1],
  inviteUrl: string,
): Promise<{ context: BrowserContext; phone: Page }> {
  const context = await newPhoneContext(suite.phoneBrowser, suite.product.url);
  await giveCameraControls(context, camera);
  return { context, phone: await customerJoins(context, inviteUrl) };
}

async function setting(phone: Page, key: string): Promise<unknown> {
  return (await phoneCameraSettings(phone))[key];
}

/** Page coordinates of a fraction of the customer's frame on the console's letterboxed video. */
async function onTheVideo(desk: Frame, x: number, y: number): Promise<{ x: number; y: number }> {
  const video = desk.getByTestId('remote-video');
  await expect.poll(() => presentedFrames(video), { timeout: 60_000 }).toBeGreaterThan(0);
  const box = (await video.boundingBox())!;
  const size = await video.evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, height: v.videoHeight }));
  const c = fitted({ left: box.x, top: box.y, width: box.width, height: box.height }, size, 'contain');
  return { x: c.left + x * c.width, y: c.top + y * c.height };
}

describe('the specialist controls the phone camera', () => {
  it('a camera with only a light: the console offers the light alone; it goes on, the phone says so, and the customer turns it off again', async () => {
    const agent = await newAgentContext(suite.browser, suite.product.url);
    const contexts: BrowserContext[] = [agent];
    try {
      const { console: desk, inviteUrl } = await agentStartsVideo(agent);
      const { context, phone } = await phoneWith({ torch: true, zoom: null, focus: false, twoCameras: false }, inviteUrl);
      contexts.push(context);

      const torch = desk.getByTestId('camera-torch');
      await torch.waitFor({ timeout: 60_000 });
      // One camera-state carries every capability: once the light shows, the rest would have too.
      for (const absent of ['camera-zoom-in', 'camera-zoom-slider', 'camera-switch', 'camera-focus']) {
        expect(await desk.getByTestId(absent).count(), absent).toBe(0);
      }
      expect(await torch.getAttribute('aria-pressed')).toBe('false');

      await torch.click();
      await expect.poll(() => setting(phone, 'torch')).toBe(true);
      await expect.poll(() => phone.getByTestId('camera-notice').textContent()).toContain('The specialist turned on your light');
      await expect.poll(() => torch.getAttribute('aria-pressed')).toBe('true');
      // The phone's own light switch shows it on too.
      expect(await phone.getByTestId('phone-torch').getAttribute('aria-pressed')).toBe('true');
      await shot(phone, 'phone-light-notice');

      await phone.getByTestId('camera-notice').getByRole('button', { name: 'Turn off' }).click();
      await expect.poll(() => setting(phone, 'torch')).toBe(false);
      await expect.poll(() => torch.getAttribute('aria-pressed')).toBe('false');
    } catch (err) {
      await screenshotsOnFailure('camera-light', contexts);
      throw err;
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });

  it('a phone camera with light, zoom, focus and a second camera: zoom, focus on a clicked spot and switch are made on the phone', async () => {
    const agent = await newAgentContext(suite.browser, suite.product.url);
    const contexts: BrowserContext[] = [agent];
    try {
      const { page, console: desk, inviteUrl } = await agentStartsVideo(agent, 1202);
      const { context, phone } = await phoneWith(FULL_PHONE_CAMERA, inviteUrl);
      contexts.push(context);
      for (const control of ['camera-torch', 'camera-zoom-in', 'camera-zoom-slider', 'camera-switch', 'camera-focus']) {
        await desk.getByTestId(control).waitFor({ timeout: 60_000 });
      }
      expect(await desk.getByTestId('camera-zoom-level').textContent()).toBe('1.0×');

      await desk.getByTestId('camera-zoom-in').click();
      await expect.poll(() => setting(phone, 'zoom')).toBe(1.5);
      await expect.poll(() => desk.getByTestId('camera-zoom-level').textContent()).toBe('1.5×');
      await expect.poll(() => phone.getByTestId('camera-notice').textContent()).toContain('zoomed your camera to 1.5×');
      await shot(phone, 'phone-zoom-notice');
      await shot(page, 'console-camera-bar');

      // Focus here: the next click on the picture is a focus point, not a mark.
      await desk.getByTestId('camera-focus').click();
      await shot(page, 'console-focus-armed');
      const spot = await onTheVideo(desk, 0.25, 0.75);
      await page.mouse.click(spot.x, spot.y);
      await expect.poll(() => setting(phone, 'pointsOfInterest')).toBeTruthy();
      const [point] = (await setting(phone, 'pointsOfInterest')) as { x: number; y: number }[];
      expect(Math.abs(point!.x - 0.25)).toBeLessThan(0.02);
      expect(Math.abs(point!.y - 0.75)).toBeLessThan(0.02);
      expect(await setting(phone, 'focusMode')).toBe('single-shot');
      expect(await phone.locator('[data-testid="customer-annotations"] g[data-mark-id]').count()).toBe(0);

      await desk.getByTestId('camera-switch').click();
      await expect.poll(() => setting(phone, 'facingMode')).toBe('user');
      await expect.poll(() => phone.getByTestId('camera-notice').textContent()).toContain('switched to your front camera');
      // The front camera is previewed mirrored on the phone, and the console still gets a picture.
      await expect.poll(() => phone.locator('video.call__local').evaluate((v) => getComputedStyle(v).transform)).not.toBe('none');
      const video = desk.getByTestId('remote-video');
      const before = await presentedFrames(video);
      await expect.poll(() => presentedFrames(video), { timeout: 30_000 }).toBeGreaterThan(before + 5);

      await phone.getByTestId('camera-notice').getByRole('button', { name: 'Switch back' }).click();
      await expect.poll(() => setting(phone, 'facingMode')).toBe('environment');
    } catch (err) {
      await screenshotsOnFailure('camera-full', contexts);
      throw err;
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
