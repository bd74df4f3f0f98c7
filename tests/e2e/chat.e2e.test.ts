import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { agentStartsVideo, allowCameraAndMicrophone, customerJoins, passLocationStepIfShown } from '../support/journey.js';
import { pumpPhoto } from '../support/fixtures.js';
import { productAndBrowser } from '../support/suite.js';

/** Set CHAT_SCREENSHOTS=1 to keep phone and console screenshots in artifacts/chat/. */
const SHOTS = process.env.CHAT_SCREENSHOTS ? join(process.cwd(), 'artifacts', 'chat') : null;

const suite = productAndBrowser();

/** Texts of the chat messages in the order shown (sender line, bubble text). */
function messageTexts(log: Locator): Promise<string[]> {
  return log.locator(':scope > li[data-status]').evaluateAll((items) =>
    items.map((li) => {
      const bubble = li.children[1] as HTMLElement | undefined;
      const own = [...(bubble?.childNodes ?? [])].filter((n) => n instanceof HTMLElement && (n.tagName === 'P' || n.tagName === 'SPAN'));
      return own.map((n) => n.textContent ?? '').join('');
    }),
  );
}

/** CHAT_DEBUG=1 prints where a slow or stuck run is. */
function step(name: string): void {
  if (process.env.CHAT_DEBUG) console.error(`[chat e2e] ${name}`);
}

async function shot(target: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function rejoinAfterReload(phone: Page): Promise<void> {
  await phone.reload();
  const consent = phone.getByRole('checkbox', { name: 'I accept the privacy policy' });
  const inCall = phone.getByRole('button', { name: 'End call' });
  const allow = phone.getByRole('button', { name: 'Allow camera and microphone' });
  const decline = phone.getByRole('button', { name: "Don't share" });
  await consent.or(inCall).or(allow).or(decline).first().waitFor({ timeout: 45_000 });
  if (await consent.isVisible()) {
    await consent.check();
    await phone.getByRole('button', { name: 'Proceed with the call' }).click();
  }
  await passLocationStepIfShown(phone);
  await allowCameraAndMicrophone(phone);
}

describe('chat between the customer page and the specialist console', () => {
  it(
    'carries text, a reply with its quote and a photo both ways, and survives a reload without loss or duplicates',
    { timeout: 480_000 },
    async () => {
      const agent = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      try {
        const { page: agentPage, console: desk, inviteUrl } = await agentStartsVideo(agent);
        const phone = await customerJoins(customer, inviteUrl);
        const deskLog = desk.getByRole('log', { name: 'Messages' });

        // Customer writes first.
        step('Customer writes first.');
        await phone.getByRole('button', { name: 'Chat' }).click();
        const phoneLog = phone.getByRole('log', { name: 'Messages' });
        await phone.getByRole('textbox', { name: 'Message' }).fill('The pump makes a clicking noise');
        await phone.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => messageTexts(phoneLog)).toEqual(['The pump makes a clicking noise']);
        await phoneLog.getByText('Sent').waitFor();
        await deskLog.getByText('The pump makes a clicking noise').waitFor();
        await expect(deskLog.getByText('Customer', { exact: true }).count()).resolves.toBe(1);

        // The customer closes the chat; the specialist replies to that message.
        step('The customer closes the chat; the specialist replies to that message.');
        await phone.getByRole('button', { name: 'Close chat' }).click();
        await deskLog.getByRole('button', { name: 'Reply to Customer' }).click();
        await desk.getByText('Replying to Customer').waitFor();
        await desk.getByRole('textbox', { name: 'Message' }).fill('Please send me a photo of the label');
        await desk.getByRole('button', { name: 'Send' }).click();
        await deskLog.getByText('Sent').last().waitFor();

        // Unread badge on the closed chat; the reply shows its quote.
        step('Unread badge on the closed chat; the reply shows its quote.');
        const chatButton = phone.getByRole('button', { name: 'Chat' });
        await expect.poll(() => chatButton.getAttribute('aria-describedby')).toBe('chat-unread');
        await expect(phone.locator('#chat-unread').innerText()).resolves.toContain('1');
        await chatButton.click();
        const reply = phoneLog.locator('li[data-status]').nth(1);
        await expect(reply.locator('blockquote').innerText()).resolves.toContain('The pump makes a clicking noise');
        await expect(reply.innerText()).resolves.toContain('Please send me a photo of the label');
        await expect(phone.locator('#chat-unread').count()).resolves.toBe(0);

        // A photo picked with `Attach photo`, replying to the specialist.
        step('A photo picked with `Attach photo`, replying to the specialist.');
        await reply.getByRole('button', { name: /^Reply to / }).click();
        const [chooser] = await Promise.all([
          phone.waitForEvent('filechooser'),
          phone.getByRole('button', { name: 'Attach photo' }).click(),
        ]);
        expect(chooser.isMultiple()).toBe(true);
        await chooser.setFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: await pumpPhoto() });
        await phone.getByRole('textbox', { name: 'Message' }).fill('Here it is');
        await phone.getByRole('button', { name: 'Send' }).click();
        const photoOnDesk = deskLog.getByRole('img', { name: 'Photo 1 from Customer' });
        await photoOnDesk.waitFor();
        await expect.poll(() => photoOnDesk.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
        await expect.poll(() => phoneLog.locator('li[data-status="sent"]').count()).toBe(3);
        await shot(phone, 'phone-chat-390x844');
        await shot(agentPage, 'console-chat-1280x800');

        // The specialist opens it full size: the original, not the preview.
        step('The specialist opens it full size: the original, not the preview.');
        await deskLog.getByRole('button', { name: 'Photo 1 from Customer' }).click();
        const full = desk.getByRole('dialog', { name: 'Photo' }).getByRole('img');
        await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
        await shot(agentPage, 'console-photo-1280x800');
        await desk.getByRole('button', { name: 'Close photo' }).click();

        // The customer sees the own photo and can open it too.
        step('The customer sees the own photo and can open it too.');
        await phoneLog.getByRole('button', { name: 'Photo 1 from You' }).click();
        await expect
          .poll(() =>
            phone
              .getByRole('dialog', { name: 'Photo' })
              .getByRole('img')
              .evaluate((img: HTMLImageElement) => img.naturalWidth),
          )
          .toBe(1200);
        await phone.getByRole('button', { name: 'Close photo' }).click();

        // Reload mid-chat while the specialist writes: nothing lost, nothing twice.
        step('Reload mid-chat while the specialist writes: nothing lost, nothing twice.');
        const expected = ['The pump makes a clicking noise', 'Please send me a photo of the label', 'Here it is', 'Thanks, that helps'];
        const reloading = rejoinAfterReload(phone);
        await desk.getByRole('textbox', { name: 'Message' }).fill('Thanks, that helps');
        await desk.getByRole('button', { name: 'Send' }).click();
        await reloading;
        await phone.getByRole('button', { name: 'Chat' }).click();
        await expect.poll(() => messageTexts(phone.getByRole('log', { name: 'Messages' }))).toEqual(expected);
        await expect.poll(() => messageTexts(deskLog)).toEqual(expected);
        await expect(phone.getByRole('log', { name: 'Messages' }).getByRole('img', { name: 'Photo 1 from You' }).count()).resolves.toBe(1);

        // And after the reload the customer keeps chatting.
        step('And after the reload the customer keeps chatting.');
        await phone.getByRole('textbox', { name: 'Message' }).fill('Should I switch it off?');
        await phone.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => messageTexts(deskLog)).toEqual([...expected, 'Should I switch it off?']);
        await shot(phone, 'phone-chat-after-reload-390x844');
      } catch (error) {
        for (const [i, p] of [...agent.pages(), ...customer.pages()].entries()) {
          await p.screenshot({ path: join(process.cwd(), 'artifacts', `chat-e2e-failure-${i}.png`) }).catch(() => undefined);
        }
        throw error;
      } finally {
        await agent.close();
        await customer.close();
      }
    },
  );
});
