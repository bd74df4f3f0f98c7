import { describe, expect, it } from 'vitest';
import type { FrameLocator, Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { freezeAndSnapshot, phoneSendsPhoto } from '../support/call-screen.js';
import { pumpPhoto } from '../support/fixtures.js';
import { customerJoins, framesRiseOverOneSecond } from '../support/journey.js';
import { productAndBrowser } from '../support/suite.js';

/**
 * The Freshdesk product end to end, as `HELPDESK=freshdesk npm start` serves it: the Freshworks
 * app in the sandbox's ticket page (its client stand-in enforcing the template rules and cap), the
 * console in a tab of its own through the one-time link, and the ticket read back over the
 * Freshdesk REST subset.
 */

/** John Carter's ticket (English requester). */
const TICKET = 1203;

const suite = productAndBrowser({ HELPDESK: 'freshdesk' });

interface Conversation {
  private: boolean;
  body: string;
  body_text: string;
  attachments: { name: string; content_type: string; size: number }[];
}

/** The ticket's conversations as any Freshdesk API client reads them. */
async function conversations(ticketId: number): Promise<Conversation[]> {
  const res = await fetch(`${suite.product.url}/api/v2/tickets/${ticketId}/conversations?per_page=100`, {
    headers: { Authorization: suite.product.helpdeskAuthorization },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Conversation[];
}

/** A rectangle dragged over the middle of the customer's picture on the console. */
async function drawRectangle(desk: Page): Promise<void> {
  const toolbar = desk.getByRole('toolbar', { name: 'Annotation tools' });
  await toolbar.getByRole('button', { name: 'Rectangle', exact: true }).click();
  const box = (await desk.getByTestId('remote-video').boundingBox())!;
  const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  const from = at(0.4, 0.35);
  const to = at(0.6, 0.65);
  await desk.mouse.move(from.x, from.y);
  await desk.mouse.down();
  await desk.mouse.move(to.x, to.y, { steps: 10 });
  await desk.mouse.up();
}

const SHOTS = process.env.FRESHDESK_SHOTS;

const sidebarOf = (page: Page): FrameLocator => page.frameLocator('iframe[data-instance="sidebar"]');

describe('Freshdesk: the whole call from the ticket sidebar', () => {
  it(
    'start, invite as a public reply, console tab, chat with a photo, marks, freeze, snapshot, end: one private note',
    { timeout: 600_000 },
    async () => {
      const agent = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      try {
        const page = await agent.newPage();
        await page.goto(`/sandbox/freshdesk/tickets/${TICKET}`);
        const sidebar = sidebarOf(page);
        await sidebar.getByRole('button', { name: 'Start video' }).click({ timeout: 45_000 });
        const inviteField = sidebar.getByRole('textbox', { name: 'Invite link' });
        await inviteField.waitFor();
        const inviteUrl = await inviteField.inputValue();
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/freshdesk-sidebar-active.png` });

        // The link goes to the requester as a public reply on the ticket, once.
        await sidebar.getByRole('button', { name: 'Send link to requester' }).click();
        await sidebar.getByText('Link sent to the requester as a public reply').waitFor();
        const replies = (await conversations(TICKET)).filter((c) => !c.private && c.body.includes(inviteUrl));
        expect(replies).toHaveLength(1);

        // The console opens in a tab of its own; the link it came with is spent and gone from the address bar.
        const [desk] = await Promise.all([
          agent.waitForEvent('page'),
          sidebar.getByRole('button', { name: 'Open specialist view' }).click(),
        ]);
        await desk.getByText("The customer hasn't joined the call yet").waitFor({ timeout: 45_000 });
        if (SHOTS) await desk.screenshot({ path: `${SHOTS}/freshdesk-console-tab.png` });
        expect(new URL(desk.url()).hash).toBe('');
        expect(await desk.evaluate(() => window.opener)).toBeNull();

        const phone = await customerJoins(customer, inviteUrl);
        await framesRiseOverOneSecond(desk.getByTestId('remote-video'));
        await expect.poll(() => sidebar.locator('.status').innerText(), { timeout: 30_000 }).toBe('Customer is in the call');

        // Chat both ways; a photo from the phone.
        await phone.getByRole('button', { name: 'Chat' }).click();
        await phone.getByRole('textbox', { name: 'Message' }).fill('The display shows E04');
        await phone.getByRole('button', { name: 'Send' }).click();
        const deskLog = desk.getByRole('log', { name: 'Messages' });
        await deskLog.getByText('The display shows E04').waitFor();
        await desk.getByRole('textbox', { name: 'Message' }).fill('Please send a photo of the type plate');
        await desk.getByRole('button', { name: 'Send' }).click();
        await phone.getByRole('log', { name: 'Messages' }).getByText('Please send a photo of the type plate').waitFor();
        await phoneSendsPhoto(phone, desk, await pumpPhoto());
        await phone
          .getByRole('button', { name: /close chat/i })
          .click()
          .catch(() => undefined);

        // A mark on the live picture reaches the phone; then freeze and a snapshot of the frozen frame.
        await drawRectangle(desk);
        await phone.locator('g[data-tool="rectangle"]').first().waitFor({ state: 'attached', timeout: 30_000 });
        await freezeAndSnapshot(desk);
        if (SHOTS) await desk.screenshot({ path: `${SHOTS}/freshdesk-console-call.png` });

        // The agent ends the call in the console; the sidebar follows it and reports the note.
        await desk.getByRole('button', { name: 'End session' }).click();
        await desk.getByRole('button', { name: 'End session' }).last().click();
        await expect.poll(() => sidebar.locator('.status').innerText(), { timeout: 30_000 }).toMatch(/^Ended /);
        await sidebar.getByText('Saved to ticket').waitFor({ timeout: 60_000 });
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/freshdesk-sidebar-ended.png` });

        const notes = (await conversations(TICKET)).filter((c) => c.private);
        expect(notes).toHaveLength(1);
        const note = notes[0]!;
        expect(note.body).toContain('Live Assist video call');
        expect(note.body).toContain('John Carter');
        expect(note.body).toContain('The display shows E04');
        expect(note.body).toContain('Please send a photo of the type plate');
        const files = note.attachments.map((a) => a.name);
        expect(files.filter((f) => /^photo-\d+-.*\.jpg$/.test(f))).toHaveLength(1);
        expect(files.filter((f) => /^snapshot-\d+-.*\.png$/.test(f))).toHaveLength(1);
        expect(note.attachments.every((a) => a.size > 0)).toBe(true);

        // The link that opened the console opens nothing a second time.
        const again = await agent.newPage();
        await again.goto(`/app/console`);
        await again.getByText('This link has been used or has expired').waitFor({ timeout: 30_000 });
        if (SHOTS) await again.screenshot({ path: `${SHOTS}/freshdesk-console-expired.png` });
      } finally {
        await agent.close();
        await customer.close();
      }
    },
  );
});
