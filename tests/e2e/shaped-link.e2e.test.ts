import { describe, expect, it } from 'vitest';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { screenshotsOnFailure, statusPill } from '../support/call-screen.js';
import { agentStartsVideo, customerJoins, framesRiseOverOneSecond } from '../support/journey.js';
import { recordPeerConnections, selectedRoutes } from '../support/peer-connections.js';
import { shapedLinksUnavailable } from '../support/shaped-link.js';
import { phoneBehindShapedLink } from '../support/shaped-suite.js';

/**
 * The customer's phone on a slow network of its own: its Chromium runs in a network namespace whose
 * only way out is a veth link to the host, rate-limited by the kernel (tests/support/shaped-link.ts).
 * The relay listens on the host's end of the link, and so the invite link names that address. The
 * agent's browser stays on the host: the kernel delivers its requests to that address locally, so
 * the console is not shaped. Page, WebSocket and WebRTC media of the phone all cross the link.
 */

const unavailable = shapedLinksUnavailable();
/** A modest mobile uplink: a call must connect and show the picture at this rate. */
const RATE_KBIT = 2000;

describe.skipIf(unavailable !== null)(`the phone behind a shaped link${unavailable ? ` (${unavailable})` : ''}`, () => {
  const world = phoneBehindShapedLink(RATE_KBIT);

  it(`connects a call whose media crosses the link at ${RATE_KBIT} kbit/s`, { timeout: 240_000 }, async () => {
    const agent = await newAgentContext(world.browser, world.product.url);
    const customer = await newPhoneContext(world.phoneBrowser, world.product.url);
    await Promise.all([recordPeerConnections(agent), recordPeerConnections(customer)]);
    try {
      const { console: desk, inviteUrl } = await agentStartsVideo(agent, 1201);
      expect(new URL(inviteUrl).hostname).toBe(world.link.hostIp);
      const before = await world.link.traffic();
      const phone = await customerJoins(customer, inviteUrl);
      await statusPill(phone, 'Live').waitFor({ timeout: 60_000 });

      const deskVideo = desk.getByTestId('remote-video');
      const frames = await framesRiseOverOneSecond(deskVideo);
      expect(frames.after).toBeGreaterThan(frames.before);
      // Browser to browser, no relay (no ICE servers here). Which of the host's addresses the phone
      // sends to is up to ICE: every one of them is reached through the link.
      expect(await selectedRoutes(phone)).toEqual([expect.objectContaining({ remoteType: 'host' })]);
      const after = await world.link.traffic();
      // The phone's page, socket and media went through the link (some 65 KB up by now in a run).
      expect(after.fromPhone - before.fromPhone).toBeGreaterThan(10_000);
      expect(after.toPhone - before.toPhone).toBeGreaterThan(10_000);
    } catch (error) {
      await screenshotsOnFailure('shaped-link', [agent, customer]);
      throw error;
    } finally {
      await agent.close();
      await customer.close();
    }
  });
});
