import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Response } from 'playwright-core';
import { RebasedRequestClient } from '../../relay/src/media/twilio/client.js';
import { FakeTwilioApi } from '../../relay/src/testing/fakes/twilio-video.js';
import { launchBrowser, newAgentContext, newPhoneContext, PHONE_VIEWPORT } from '../support/browser.js';
import { agentStartsVideo, allowCameraAndMicrophone, passLocationStepIfShown } from '../support/journey.js';
import { startProduct, type RunningProduct } from '../support/product.js';
import { TwilioSignalingStandIn } from '../support/twilio-signaling.js';

/**
 * The product in `twilio` mode with Twilio's REST API stood in for on loopback. The browsers
 * cannot reach Twilio's media servers here, so this checks everything up to that point for real:
 * the lazy SDK load after consent, the relay's room and tokens, and how an unreachable video
 * service reads on both sides. Real media over Twilio is the manual check list's job.
 */
const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;

let api: FakeTwilioApi;
let product: RunningProduct;
let browser: Browser;

beforeAll(async () => {
  api = new FakeTwilioApi(ACCOUNT_SID);
  await api.start();
  product = await startProduct(
    {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_API_KEY_SID: `SK${'d4'.repeat(16)}`,
      TWILIO_API_KEY_SECRET: 'e2e-api-key-secret',
      TWILIO_AUTH_TOKEN: 'e2e-auth-token',
    },
    { twilio: { httpClient: new RebasedRequestClient(api.url), retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } } },
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
  await api?.stop();
});

/** Whether a script response is twilio-video's own code. */
async function isSdkChunk(response: Response): Promise<boolean> {
  if (!response.url().endsWith('.js')) return false;
  const body = await response.text().catch(() => '');
  return body.includes('vss.twilio.com') && body.includes('TwilioError');
}

describe('twilio mode: same journey, Twilio Video behind the transport', () => {
  it('loads the SDK only after consent, joins with a relay token, and explains an unreachable video service', async () => {
    const agent = await newAgentContext(browser, product.url);
    const customer = await newPhoneContext(browser, product.url);
    try {
      const { console: specialist, inviteUrl } = await agentStartsVideo(agent);
      const room = () => [...api.rooms.values()].find((r) => r.status === 'in-progress');
      await expect.poll(() => room()?.type).toBe('group');

      const phone = await customer.newPage();
      const sdkLoads: string[] = [];
      const tokenAnswers: number[] = [];
      phone.on('response', (response) => {
        if (response.url().endsWith('/api/media/twilio-token')) tokenAnswers.push(response.status());
        void isSdkChunk(response).then((sdk) => {
          if (sdk) sdkLoads.push(response.url());
        });
      });

      await phone.goto(inviteUrl);
      await phone.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
      // The consent screen is fully loaded and idle: no twilio-video yet.
      await phone.waitForLoadState('networkidle');
      expect(sdkLoads).toEqual([]);

      await phone.getByRole('button', { name: 'Proceed with the call' }).click();
      await passLocationStepIfShown(phone);
      await allowCameraAndMicrophone(phone);

      await expect.poll(() => sdkLoads.length, { timeout: 45_000 }).toBe(1);
      expect(sdkLoads[0]).toMatch(/\/customer\/assets\/[^/]+\.js$/);
      await expect.poll(() => tokenAnswers, { timeout: 45_000 }).toEqual([200]);

      // Twilio's signaling servers cannot be reached from here: a clear, translated message, on both sides.
      const alert = phone.getByRole('alert');
      // A first join that fails is tried again twice (1 s, 3 s) before the page gives up.
      await alert.waitFor({ timeout: 120_000 });
      // twilio-video's signaling error (53000): the customer page's English text.
      expect(await alert.innerText()).toBe('The connection to the video service was lost.');
      await specialist.getByRole('alert').waitFor({ timeout: 120_000 });
      expect(await specialist.getByRole('alert').innerText()).toBe('The connection to the video service was lost.');
      // Same words as the P2P path's failed state (connection.ts), plus the reason.
      expect(await specialist.getByTestId('connection-state').innerText()).toBe('Connection failed');

      // Ending the session completes the Twilio room.
      const roomSid = room()!.sid;
      await specialist.getByRole('button', { name: 'End session' }).click();
      await specialist.getByRole('button', { name: 'End session' }).click();
      await expect.poll(() => api.rooms.get(roomSid)?.status, { timeout: 30_000 }).toBe('completed');
    } finally {
      await agent.close();
      await customer.close();
    }
  }, 300_000);

  it('leaves the room on pagehide (Twilio hears the disconnect) and joins again on pageshow from the cache', async () => {
    const agent = await newAgentContext(browser, product.url);
    const customer = await newPhoneContext(browser, product.url);
    const signaling = new TwilioSignalingStandIn();
    await signaling.install(customer);
    const phoneLog: string[] = [];
    try {
      const { inviteUrl } = await agentStartsVideo(agent, 1202);
      const phone = await customer.newPage();
      phone.on('console', (m) => phoneLog.push(`${m.type()}: ${m.text()}`));
      await phone.goto(inviteUrl);
      await phone.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
      await phone.getByRole('button', { name: 'Proceed with the call' }).click();
      await passLocationStepIfShown(phone, 60_000);
      await allowCameraAndMicrophone(phone, 60_000);
      // The SDK joined the relay's room with the relay's token.
      await expect.poll(() => signaling.types(), { timeout: 30_000 }).toContain('connect');
      const connect = signaling.received.find((m) => m.type === 'connect')!;
      expect(connect.name).toMatch(/^live-assist-/);
      expect(connect.bandwidth_profile).toMatchObject({ video: { mode: 'collaboration' } });
      expect(signaling.types()).not.toContain('disconnect');

      // The page is hidden for good (tab closed, navigated away) or put in the back/forward
      // cache. The event is dispatched rather than caused by a navigation so the page stays
      // alive for the stand-in to hear what it says.
      await phone.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      await expect.poll(() => signaling.types(), { timeout: 20_000 }).toContain('disconnect');
      expect(signaling.types().filter((t) => t === 'connect')).toHaveLength(1);

      // Restored from the back/forward cache: the page joins again with a fresh token.
      await phone.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
      await expect.poll(() => signaling.types().filter((t) => t === 'connect'), { timeout: 60_000 }).toHaveLength(2);
      expect(signaling.connections).toBe(2);
    } catch (err) {
      console.log('signalling heard:', signaling.types(), 'connections:', signaling.connections, '\n', phoneLog.join('\n'));
      throw err;
    } finally {
      await agent.close();
      await customer.close();
    }
  }, 240_000);

  it('tells a browser Twilio does not support before the camera step', async () => {
    const agent = await newAgentContext(browser, product.url);
    // Opera on Android: WebRTC works, but twilio-video does not support it.
    const customer = await browser.newContext({
      viewport: PHONE_VIEWPORT,
      baseURL: product.url,
      locale: 'en-US',
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/85.0.0.0',
      permissions: [],
    });
    try {
      const { inviteUrl } = await agentStartsVideo(agent, 1203);
      const phone = await customer.newPage();
      let cameraRequests = 0;
      await phone.exposeFunction('__countCameraRequest', () => cameraRequests++);
      await phone.addInitScript(() => {
        const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (constraints) => {
          void (window as unknown as { __countCameraRequest(): void }).__countCameraRequest();
          return original(constraints);
        };
      });
      await phone.goto(inviteUrl);
      await phone.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
      await phone.getByRole('button', { name: 'Proceed with the call' }).click();
      await phone.getByRole('heading', { name: "This browser can't join the video call" }).waitFor({ timeout: 30_000 });
      await expect(
        phone.getByText('Open this link in an up-to-date Chrome, Safari or Firefox, then join again.').isVisible(),
      ).resolves.toBe(true);
      expect(await phone.getByRole('button', { name: 'Allow camera and microphone' }).count()).toBe(0);
      expect(cameraRequests).toBe(0);
      if (process.env.SCREENSHOT_DIR) await phone.screenshot({ path: `${process.env.SCREENSHOT_DIR}/twilio-unsupported-browser.png` });
    } finally {
      await agent.close();
      await customer.close();
    }
  }, 240_000);
});
