import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { agentStartsVideo, appFrame, customerJoins, framesRiseOverOneSecond } from '../support/journey.js';
import { productAndBrowser } from '../support/suite.js';

/** Set ZENDESK_SCREENSHOTS=1 to keep the screens in artifacts/zendesk/. */
const SHOTS = process.env.ZENDESK_SCREENSHOTS ? join(process.cwd(), 'artifacts', 'zendesk') : null;

const suite = productAndBrowser();

/**
 * What a real Zendesk account does and the sandbox now does too: the console is the manifest's
 * signed modal location, it learns its ticket from the sidebar that opened it, and the relay
 * applies the agent's own ticket access.
 */
describe('on a Zendesk-like account', () => {
  it('two ticket tabs each open their own console, showing their own ticket and customer', { timeout: 240_000 }, async () => {
    const agent = await newAgentContext(suite.browser, suite.product.url);
    const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
    try {
      const first = await agentStartsVideo(agent, 1201);
      const second = await agentStartsVideo(agent, 1202);
      const heading = async (tab: typeof first) => {
        await tab.page.bringToFront();
        return tab.console.getByRole('heading', { level: 1 }).textContent({ timeout: 5_000 });
      };
      await expect.poll(() => heading(first), { timeout: 30_000 }).toBe('Ticket #1201');
      await expect.poll(() => heading(second), { timeout: 30_000 }).toBe('Ticket #1202');

      // Only the second ticket's customer opens their link: only the second console sees them.
      const phone = await customer.newPage();
      await phone.goto(second.inviteUrl);
      await phone.getByRole('checkbox', { name: 'I accept the privacy policy' }).waitFor();
      const stage = async (tab: typeof first) => {
        // A background tab does not render; the agent looks at the tab in front.
        await tab.page.bringToFront();
        return tab.console.getByTestId('customer-stage').getAttribute('data-status', { timeout: 5_000 });
      };
      await expect.poll(() => stage(second), { timeout: 30_000 }).toBe('opened-link');
      expect(await stage(first)).toBe('waiting');
      expect(first.inviteUrl).not.toBe(second.inviteUrl);

      // Each modal is within Zendesk's recommended size.
      const size = await first.page
        .locator('iframe.modal-frame')
        .evaluate((el: HTMLElement) => ({ width: el.style.width, height: el.style.height }));
      expect(size).toEqual({ width: '80vw', height: '80vh' });
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await second.page.bringToFront();
        await second.page.screenshot({ path: join(SHOTS, 'second-tab-console.png') });
      }
    } finally {
      await agent.close();
      await customer.close();
    }
  });

  it('an agent restricted to another group sees why the sidebar cannot start a call (403)', { timeout: 180_000 }, async () => {
    const agent = await newAgentContext(suite.browser, suite.product.url);
    try {
      const page = await agent.newPage();
      // The sandbox signs the app for agent 10005, who sees only the Drainage group's tickets.
      await page.goto('/sandbox/tickets/1201?agent=10005');
      const sidebar = await appFrame(page, 'ticket_sidebar');
      const alert = sidebar.getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain("doesn't give you access to this ticket");
      expect(await sidebar.getByRole('button', { name: 'Start video' }).count()).toBe(0);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, 'restricted-agent-sidebar.png') });
      }

      // A ticket in their own group works as usual.
      await page.goto('/sandbox/tickets/1203?agent=10005');
      const own = await appFrame(page, 'ticket_sidebar');
      await own.getByRole('button', { name: 'Start video' }).waitFor({ timeout: 20_000 });
    } finally {
      await agent.close();
    }
  });

  it(
    'another agent joins as observer: the customer’s video reaches them through the specialist’s console, and both sides are told who watches',
    { timeout: 240_000 },
    async () => {
      const maria = await newAgentContext(suite.browser, suite.product.url);
      const thomas = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      try {
        const call = await agentStartsVideo(maria, 1203);
        const phone = await customerJoins(customer, call.inviteUrl);
        await framesRiseOverOneSecond(call.console.getByTestId('remote-video'));

        // Thomas (agent 10005, whose group holds ticket 1203) opens the ticket while Maria is in the call
        // (after the test above, which needs ticket 1203 without a call).
        const page = await thomas.newPage();
        await page.goto('/sandbox/tickets/1203?agent=10005&locale=en-US');
        const sidebar = await appFrame(page, 'ticket_sidebar');
        await sidebar.getByText('Maria Petrova is in a call').waitFor({ timeout: 30_000 });
        expect(await sidebar.getByRole('button', { name: 'End session' }).count()).toBe(0);
        await sidebar.getByRole('button', { name: 'Join as observer' }).click();
        const watching = await appFrame(page, 'modal');
        await watching.getByTestId('observing').waitFor({ timeout: 30_000 });
        // P2P: the phone keeps one upload, to Maria; her console forwards the picture to Thomas.
        const seen = await framesRiseOverOneSecond(watching.getByTestId('remote-video'));
        expect(seen.after).toBeGreaterThan(seen.before);
        await phone.getByText('Thomas Berger is watching the call').waitFor({ timeout: 30_000 });
        await call.console.getByText('Watching this call: Thomas Berger').waitFor({ timeout: 30_000 });
        if (SHOTS) {
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, 'observer-console.png') });
        }
      } finally {
        await thomas.close();
        await maria.close();
        await customer.close();
      }
    },
  );

  it(
    "on a messaging ticket the sidebar puts the invite into the agent's reply instead of a comment that would not reach the customer",
    { timeout: 180_000 },
    async () => {
      const agent = await newAgentContext(suite.browser, suite.product.url);
      try {
        const page = await agent.newPage();
        // Ticket 1206 came in through the Web Widget's messaging (via.channel native_messaging).
        await page.goto('/sandbox/tickets/1206');
        const sidebar = await appFrame(page, 'ticket_sidebar');
        await sidebar.getByRole('button', { name: 'Start video' }).click();
        const inviteUrl = await sidebar.getByRole('textbox', { name: 'Invite link' }).inputValue({ timeout: 20_000 });
        await sidebar.getByText('a ticket comment would not reach the customer').waitFor({ timeout: 20_000 });
        expect(await sidebar.getByRole('button', { name: 'Send link to requester' }).count()).toBe(0);

        await sidebar.getByRole('button', { name: 'Insert link into reply' }).click();
        await sidebar.getByText('The link is in your reply').waitFor({ timeout: 20_000 });
        const reply = page.getByRole('textbox', { name: 'Comment' });
        // Plain text in a messaging composer: the link and the greeting, no markup.
        await expect.poll(() => reply.inputValue(), { timeout: 20_000 }).toContain(inviteUrl);
        expect(await reply.inputValue()).toContain('Hello John Carter,');
        expect(await reply.inputValue()).not.toContain('<a');
        if (SHOTS) {
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, 'messaging-ticket-reply.png') });
        }

        // On a web form ticket both are offered; the reply gets the invite from the app's HTML.
        await page.goto('/sandbox/tickets/1204');
        const web = await appFrame(page, 'ticket_sidebar');
        await web.getByRole('button', { name: 'Start video' }).click();
        const webInvite = await web.getByRole('textbox', { name: 'Invite link' }).inputValue({ timeout: 20_000 });
        await web.getByRole('button', { name: 'Send link to requester' }).waitFor({ timeout: 20_000 });
        await web.getByRole('button', { name: 'Insert link into reply' }).click();
        await expect.poll(() => page.getByRole('textbox', { name: 'Comment' }).inputValue(), { timeout: 20_000 }).toContain(webInvite);
      } finally {
        await agent.close();
      }
    },
  );
});
