import { describe, expect, it } from 'vitest';
import type { Page, WebSocket } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { framesRise, messageTexts, screenshotsOnFailure, statusPill, typeInChat } from '../support/call-screen.js';
import {
  agentStartsVideo,
  allowCameraAndMicrophone,
  customerJoins,
  framesRiseOverOneSecond,
  passLocationStepIfShown,
} from '../support/journey.js';
import { pumpPhoto } from '../support/fixtures.js';
import { cuttableLink, type CuttableLink } from '../support/network.js';
import { peerConnections, pictureCarrier, recordPeerConnections } from '../support/peer-connections.js';
import { productAndBrowser } from '../support/suite.js';

/**
 * The customer's network drops for a few seconds mid-call. The phone reaches the relay through a
 * TCP hop the test can cut (`context.setOffline` leaves an open WebSocket alone); the media runs
 * browser to browser on loopback, so the cut takes only the relay socket: the picture goes on
 * meanwhile and the same peer connection carries it once the socket is back.
 */

const suite = productAndBrowser();

/** How long the network stays away; the requirement allows up to 30 s, a short drop keeps the test fast. */
const DROP_MS = 5_000;
/** Reconnect backoff tops out at 10 s; after a drop the page has this long to be back. */
const BACK_WITHIN_MS = 60_000;

const OFFLINE_NOTE = 'No connection. It will be sent when you are back online.';

/**
 * The customer's side of a call whose relay traffic passes through a link the test can cut;
 * `recordPairs` has both browsers record their peer connections (tests/support/peer-connections.ts).
 */
async function callOverCuttableLink(ticketId: number, opts: { recordPairs?: boolean } = {}) {
  const link = await cuttableLink(suite.product.url);
  const agent = await newAgentContext(suite.browser, suite.product.url);
  const customer = await newPhoneContext(suite.phoneBrowser, link.url);
  if (opts.recordPairs) await Promise.all([recordPeerConnections(agent), recordPeerConnections(customer)]);
  const sockets: WebSocket[] = [];
  customer.on('page', (page) => page.on('websocket', (ws) => sockets.push(ws)));
  const { console: desk, inviteUrl } = await agentStartsVideo(agent, ticketId);
  const phoneInvite = inviteUrl.replace(suite.product.url, link.url);
  expect(phoneInvite.startsWith(link.url)).toBe(true);
  const phone = await customerJoins(customer, phoneInvite);
  await statusPill(phone, 'Live').waitFor({ timeout: 30_000 });
  const deskVideo = desk.getByTestId('remote-video');
  const baseline = await framesRiseOverOneSecond(deskVideo);
  expect(baseline.after).toBeGreaterThan(baseline.before);
  return { link, agent, customer, sockets, desk, phone, phoneInvite, deskVideo };
}

/** Cuts the phone's network and checks the relay socket really went down and the page says so. */
async function dropNetwork(link: CuttableLink, phone: Page, sockets: WebSocket[]): Promise<void> {
  const live = sockets.at(-1);
  expect(live?.isClosed()).toBe(false);
  link.cut();
  await expect.poll(() => live!.isClosed()).toBe(true);
  await statusPill(phone, 'Reconnecting…').waitFor();
}

/** Sends a photo with a caption from the phone's chat (the chat is open). */
async function sendPhoto(phone: Page, caption: string): Promise<void> {
  const [chooser] = await Promise.all([phone.waitForEvent('filechooser'), phone.getByRole('button', { name: 'Attach photo' }).click()]);
  await chooser.setFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: await pumpPhoto() });
  await phone.getByRole('textbox', { name: 'Message' }).fill(caption);
  await phone.getByRole('button', { name: 'Send' }).click();
}

describe('network drop on the customer phone', () => {
  it(
    'shows reconnecting, reconnects by itself, delivers chat typed offline once and the video comes back',
    { timeout: 360_000 },
    async () => {
      const { link, agent, customer, sockets, desk, phone, deskVideo } = await callOverCuttableLink(1201);
      const deskLog = desk.getByRole('log', { name: 'Messages' });
      try {
        await dropNetwork(link, phone, sockets);

        // Typed offline: shown at once, marked as waiting for the network, not on the desk.
        const phoneLog = await typeInChat(phone, 'Typed in the basement');
        await expect.poll(() => messageTexts(phoneLog)).toEqual(['Typed in the basement']);
        const pending = phoneLog.locator('li[data-status]').first();
        await expect.poll(() => pending.getAttribute('data-status')).toBe('sending');
        await pending.getByText(OFFLINE_NOTE).waitFor();

        await phone.waitForTimeout(DROP_MS);
        await expect(statusPill(phone, 'Reconnecting…').isVisible()).resolves.toBe(true);
        await expect(pending.getByText(OFFLINE_NOTE).isVisible()).resolves.toBe(true);
        await expect(messageTexts(deskLog)).resolves.toEqual([]);

        // Back online: the page reconnects by itself, nobody presses anything.
        link.restore();
        await statusPill(phone, 'Live').waitFor({ timeout: BACK_WITHIN_MS });
        expect(sockets.at(-1)?.isClosed()).toBe(false);
        await pending.getByText('Sent', { exact: true }).waitFor();
        await expect.poll(() => messageTexts(deskLog)).toEqual(['Typed in the basement']);

        // A later message lands right after it: the offline one came exactly once.
        await typeInChat(phone, 'Signal is back');
        await expect.poll(() => messageTexts(deskLog)).toEqual(['Typed in the basement', 'Signal is back']);
        await expect.poll(() => messageTexts(phoneLog)).toEqual(['Typed in the basement', 'Signal is back']);

        // The specialist sees the customer's camera again.
        await expect.poll(() => framesRise(deskVideo), { timeout: BACK_WITHIN_MS, interval: 250 }).toBe(true);
      } catch (error) {
        await screenshotsOnFailure('network-drop', [agent, customer]);
        throw error;
      } finally {
        await agent.close();
        await customer.close();
        await link.close();
      }
    },
  );

  it(
    'delivers chat and a photo sent offline exactly once even when the page is reloaded before the network returns',
    { timeout: 360_000 },
    async () => {
      const { link, agent, customer, sockets, desk, phone, phoneInvite, deskVideo } = await callOverCuttableLink(1202);
      const deskLog = desk.getByRole('log', { name: 'Messages' });
      try {
        await dropNetwork(link, phone, sockets);
        const before = await typeInChat(phone, 'Written before the reload');
        await before.getByText(OFFLINE_NOTE).waitFor();
        // A photo sent offline cannot be uploaded yet: it waits like the text, it does not fail.
        await sendPhoto(phone, 'Photo of the label');
        await expect.poll(() => before.locator('li[data-status="sending"]').count()).toBe(2);
        await expect.poll(() => before.getByText(OFFLINE_NOTE).count()).toBe(2);
        await expect(before.locator('li[data-status="failed"]').count()).resolves.toBe(0);

        // Reloading without a network fails: the page with the message in memory is gone.
        const reloaded = await phone.reload({ timeout: 45_000 }).then(
          () => true,
          () => false,
        );
        expect(reloaded).toBe(false);
        await expect.poll(() => phone.url()).toBe('chrome-error://chromewebdata/');
        await phone.waitForLoadState('load');
        await expect(phone.getByRole('button', { name: 'End call' }).count()).resolves.toBe(0);

        // The network returns and the customer reloads again: the page takes its seat back.
        link.restore();
        await phone.goto(phoneInvite);
        const consent = phone.getByRole('checkbox', { name: 'I accept the privacy policy' });
        const onward = phone
          .getByRole('button', { name: 'End call' })
          .or(phone.getByRole('button', { name: 'Allow camera and microphone' }))
          .or(phone.getByRole('button', { name: "Don't share" }));
        await consent.or(onward).first().waitFor({ timeout: BACK_WITHIN_MS });
        if (await consent.isVisible()) {
          await consent.check();
          await phone.getByRole('button', { name: 'Proceed with the call' }).click();
        }
        await passLocationStepIfShown(phone);
        await allowCameraAndMicrophone(phone);
        await statusPill(phone, 'Live').waitFor({ timeout: BACK_WITHIN_MS });

        // Both come back from the reload and go out by themselves (the photo is uploaded first).
        const sentBefore = ['Written before the reload', 'Photo of the label'];
        await expect.poll(() => messageTexts(deskLog), { timeout: BACK_WITHIN_MS }).toEqual(sentBefore);
        const after = await typeInChat(phone, 'Typed after the reload');
        const all = [...sentBefore, 'Typed after the reload'];
        await expect.poll(() => messageTexts(after)).toEqual(all);
        await expect.poll(() => after.locator('li[data-status="sent"]').count()).toBe(3);
        await expect.poll(() => messageTexts(deskLog)).toEqual(all);
        // The photo came with its message, once, and shows on the desk.
        const onDesk = deskLog.getByRole('img', { name: 'Photo 1 from Customer' });
        await expect(onDesk.count()).resolves.toBe(1);
        await expect.poll(() => onDesk.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
        // Nothing is left waiting on the phone once the relay has it.
        await expect
          .poll(() =>
            phone.evaluate(
              `new Promise((resolve) => { const r = indexedDB.open('live-assist-chat'); r.onsuccess = () => { const q = r.result.transaction('photos').objectStore('photos').count(); q.onsuccess = () => resolve(q.result); }; })`,
            ),
          )
          .toBe(0);
        await expect.poll(() => framesRise(deskVideo), { timeout: BACK_WITHIN_MS, interval: 250 }).toBe(true);
      } catch (error) {
        await screenshotsOnFailure('network-drop-reload', [agent, customer]);
        throw error;
      } finally {
        await agent.close();
        await customer.close();
        await link.close();
      }
    },
  );
  it(
    'the picture keeps moving while only the phone’s relay socket is down, and the same peer connection carries it after',
    { timeout: 240_000 },
    async () => {
      const { link, agent, customer, sockets, desk, phone, deskVideo } = await callOverCuttableLink(1203, { recordPairs: true });
      try {
        const pair = await pictureCarrier(desk);
        const [phonePair] = await peerConnections(phone);
        expect(await peerConnections(phone)).toHaveLength(1);
        expect(phonePair?.states.at(-1)).toBe('connected');

        await dropNetwork(link, phone, sockets);
        const decoded = async () => (await peerConnections(desk))[pair.index]!.framesDecoded;
        const atCut = await decoded();
        // Signaling is gone (the phone says so), the picture is not: the console keeps decoding it.
        await expect.poll(decoded, { message: 'the console decodes the picture during the outage' }).toBeGreaterThan(atCut);
        await expect.poll(() => framesRise(deskVideo), { interval: 250 }).toBe(true);
        await expect(statusPill(phone, 'Reconnecting…').isVisible()).resolves.toBe(true);
        // The console says so over the live picture instead of covering it with "connection dropped".
        await desk.getByText('Reconnecting the customer…').waitFor({ timeout: 30_000 });
        expect(await desk.getByText("The customer's connection dropped").count()).toBe(0);
        await expect.poll(() => framesRise(deskVideo), { interval: 250 }).toBe(true);
        if (process.env.NETWORK_DROP_SHOTS)
          await agent.pages()[0]!.screenshot({ path: `${process.env.NETWORK_DROP_SHOTS}/console-reconnecting.png` });

        link.restore();
        await statusPill(phone, 'Live').waitFor({ timeout: BACK_WITHIN_MS });
        expect(sockets.at(-1)?.isClosed()).toBe(false);
        await desk.getByText('Reconnecting the customer…').waitFor({ state: 'hidden', timeout: BACK_WITHIN_MS });
        const atReturn = await decoded();
        await expect
          .poll(decoded, { message: 'the pair that carried the picture before the cut still carries it (0: it was closed)' })
          .toBeGreaterThan(atReturn);

        // The same pair on both sides, connected all along: nothing was negotiated again.
        expect(await pictureCarrier(desk)).toMatchObject({ index: pair.index });
        const deskPair = (await peerConnections(desk))[pair.index]!;
        expect(deskPair.states.slice(deskPair.states.indexOf('connected'))).toEqual(['connected']);
        const phonePairs = await peerConnections(phone);
        expect(phonePairs).toHaveLength(1);
        expect(phonePairs[0]!.states.slice(phonePairs[0]!.states.indexOf('connected'))).toEqual(['connected']);
        // And the agent's picture on the phone moves too.
        await expect.poll(() => framesRise(phone.locator('video.pip__video')), { interval: 250 }).toBe(true);
      } catch (error) {
        await screenshotsOnFailure('network-drop-same-pair', [agent, customer]);
        throw error;
      } finally {
        await agent.close();
        await customer.close();
        await link.close();
      }
    },
  );
});
