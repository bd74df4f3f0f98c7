import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { presentedFrames } from './journey.js';

/** What a person sees of a call in progress, on either side: chat, the phone's status, the videos. */

/** Texts of the chat messages in the order shown (sender line, bubble text). */
export function messageTexts(log: Locator): Promise<string[]> {
  return log.locator(':scope > li[data-status]').evaluateAll((items) =>
    items.map((li) => {
      const bubble = li.children[1] as HTMLElement | undefined;
      const own = [...(bubble?.childNodes ?? [])].filter((n) => n instanceof HTMLElement && (n.tagName === 'P' || n.tagName === 'SPAN'));
      return own.map((n) => n.textContent ?? '').join('');
    }),
  );
}

/** Whether the video presents new frames over one second (sampled 1 s apart). */
export async function framesRise(video: Locator): Promise<boolean> {
  const before = await presentedFrames(video);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return (await presentedFrames(video)) > before;
}

/** The phone's status pill (`Live`, `Reconnecting…`). */
export function statusPill(phone: Page, text: string): Locator {
  return phone.getByRole('status').filter({ hasText: text });
}

/** Sends a chat message from the phone, opening the chat first if it is closed; the chat's log. */
export async function typeInChat(phone: Page, text: string): Promise<Locator> {
  const log = phone.getByRole('log', { name: 'Messages' });
  if (!(await log.isVisible())) await phone.getByRole('button', { name: 'Chat' }).click();
  await phone.getByRole('textbox', { name: 'Message' }).fill(text);
  await phone.getByRole('button', { name: 'Send' }).click();
  return log;
}

/**
 * The phone (chat open) sends a photo, with a caption when given; resolves once the console shows
 * it as the customer's `nth` photo.
 */
export async function phoneSendsPhoto(phone: Page, desk: Page | Frame, photo: Buffer, opts: { caption?: string; nth?: number } = {}) {
  const [chooser] = await Promise.all([phone.waitForEvent('filechooser'), phone.getByRole('button', { name: 'Attach photo' }).click()]);
  await chooser.setFiles({ name: 'plate.jpg', mimeType: 'image/jpeg', buffer: photo });
  if (opts.caption) await phone.getByRole('textbox', { name: 'Message' }).fill(opts.caption);
  await phone.getByRole('button', { name: 'Send' }).click();
  await desk
    .getByRole('log', { name: 'Messages' })
    .getByRole('img', { name: `Photo ${opts.nth ?? 1} from Customer` })
    .waitFor({ timeout: 45_000 });
}

/** The console freezes the customer's picture and takes a snapshot of the frozen frame; the snapshot is listed. */
export async function freezeAndSnapshot(desk: Page | Frame): Promise<void> {
  const toolbar = desk.getByRole('toolbar', { name: 'Annotation tools' });
  await toolbar.getByRole('button', { name: 'Freeze', exact: true }).click();
  await desk.getByTestId('console-still').waitFor({ timeout: 45_000 });
  await expect.poll(() => toolbar.getByRole('button', { name: 'Take snapshot', exact: true }).isEnabled()).toBe(true);
  await toolbar.getByRole('button', { name: 'Take snapshot', exact: true }).click();
  await desk.getByTestId('snapshot-list').locator('a').first().waitFor({ timeout: 45_000 });
}

/** Every page of the contexts, as a screenshot in artifacts/ (what a failed CI run leaves behind). */
export async function screenshotsOnFailure(name: string, contexts: BrowserContext[]): Promise<void> {
  const dir = join(process.cwd(), 'artifacts');
  mkdirSync(dir, { recursive: true });
  for (const [i, p] of contexts.flatMap((c) => c.pages()).entries()) {
    await p.screenshot({ path: join(dir, `${name}-failure-${i}.png`) }).catch(() => undefined);
  }
}
