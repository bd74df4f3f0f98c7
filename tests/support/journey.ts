import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';

export const SEED_TICKET_ID = 1201;

/** Finds the app iframe the sandbox host loaded for a location (`ticket_sidebar` or `modal`). */
export async function appFrame(page: Page, location: 'ticket_sidebar' | 'modal', timeoutMs = 45_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => new URL(f.url(), 'http://x').pathname === `/app/${location}`);
    if (frame) {
      await frame.waitForLoadState('domcontentloaded');
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`no ${location} app frame after ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

/** Agent side: open the ticket, press Start video, read the invite link, open the specialist console. */
export async function agentStartsVideo(agent: BrowserContext, ticketId = SEED_TICKET_ID) {
  const page = await agent.newPage();
  await page.goto(`/sandbox/tickets/${ticketId}`);
  const sidebar = await appFrame(page, 'ticket_sidebar');
  await sidebar.getByRole('button', { name: 'Start video' }).click();
  const inviteField = sidebar.getByRole('textbox', { name: 'Invite link' });
  await inviteField.waitFor();
  const inviteUrl = await inviteField.inputValue();
  await sidebar.getByRole('button', { name: 'Open specialist view' }).click();
  const console = await appFrame(page, 'modal');
  return { page, sidebar, console, inviteUrl };
}

/**
 * Customer side (English page): follow the link, consent, answer the location step (`Don't share`
 * unless `shareLocation`; sharing needs the context's geolocation permission), allow camera and
 * microphone. Ends on the call screen.
 */
export async function customerJoins(customer: BrowserContext, inviteUrl: string, opts: { shareLocation?: boolean } = {}): Promise<Page> {
  const page = await customer.newPage();
  await page.goto(inviteUrl);
  await page.getByRole('checkbox', { name: 'I accept the privacy policy' }).check();
  await page.getByRole('button', { name: 'Proceed with the call' }).click();
  if (opts.shareLocation) await page.getByRole('button', { name: 'Share location' }).click();
  else await passLocationStepIfShown(page);
  await allowCameraAndMicrophone(page);
  return page;
}

/** Answers `Don't share` when the page asks for the location; a no-op once the call screen shows. */
export async function passLocationStepIfShown(page: Page, timeoutMs = 45_000): Promise<void> {
  const decline = page.getByRole('button', { name: "Don't share" });
  const next = page.getByRole('button', { name: 'Allow camera and microphone' }).or(page.getByRole('button', { name: 'End call' }));
  await decline
    .or(next)
    .first()
    .waitFor({ timeout: timeoutMs })
    .catch(async (error: unknown) => {
      throw new Error(
        `neither the location step nor the camera step within ${timeoutMs} ms; the page shows ${await whatThePageShows(page)}`,
        { cause: error },
      );
    });
  if (await decline.isVisible()) await decline.click();
}

/**
 * Presses `Allow camera and microphone` unless the browser already holds the permission, in which
 * case the page skips that screen by itself; either way it ends on the call screen.
 */
export async function allowCameraAndMicrophone(page: Page, timeoutMs = 90_000): Promise<void> {
  const allow = page.getByRole('button', { name: 'Allow camera and microphone' });
  const inCall = page.getByRole('button', { name: 'End call' });
  const deadline = Date.now() + timeoutMs;
  while (!(await inCall.isVisible())) {
    if (Date.now() > deadline)
      throw new Error(`the call screen did not appear within ${timeoutMs} ms; the page shows ${await whatThePageShows(page)}`);
    // The button can vanish between the two checks (the page moves on by itself): never wait for it.
    if ((await allow.isVisible()) && (await allow.isEnabled({ timeout: 500 }).catch(() => false))) {
      await allow.click({ timeout: 1000 }).catch(() => undefined);
    }
    await page.waitForTimeout(100);
  }
}

/**
 * What a person would see on the page now, for a failure message: its headings, status lines,
 * alerts and enabled buttons (a CI log then says which screen a step was stuck on).
 */
export async function whatThePageShows(page: Page | Frame): Promise<string> {
  return page
    .evaluate(() => {
      const visible = (e: Element) => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed';
      const texts = (selector: string) =>
        [...document.querySelectorAll(selector)]
          .filter(visible)
          .map((e) => (e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 80))
          .filter(Boolean);
      return JSON.stringify({
        path: location.pathname,
        headings: texts('h1, h2, h3, [role="heading"]'),
        status: texts('[role="status"], [role="alert"], [role="alertdialog"]'),
        buttons: texts('button:not([disabled])'),
      });
    })
    .catch((error: unknown) => `(unreadable: ${error instanceof Error ? error.message : String(error)})`);
}

/**
 * Polls a page expression until it is true. Not `waitForFunction`: that evaluates its predicate
 * with the page's own `eval`, which the product's Content-Security-Policy (`script-src 'self'`)
 * refuses, while `evaluate` runs through the debugger and is not subject to it.
 */
export async function untilTrue(target: Page | Frame, expression: string, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if ((await target.evaluate(expression)) === true) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`${what}: not so after ${timeoutMs} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Frames the element has presented so far (decoded and shown), from the video element itself. */
export function presentedFrames(video: Locator): Promise<number> {
  return video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
}

/** Waits until the video shows frames, then asserts the count rises over one more second. */
export async function framesRiseOverOneSecond(video: Locator): Promise<{ before: number; after: number }> {
  await video.waitFor({ state: 'attached' });
  await video.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<void>((resolve, reject) => {
        const started = performance.now();
        const check = () => {
          if (v.getVideoPlaybackQuality().totalVideoFrames > 0 && v.videoWidth > 0) resolve();
          else if (performance.now() - started > 20_000) reject(new Error('no video frames within 20 s'));
          else setTimeout(check, 50);
        };
        check();
      }),
  );
  const before = await presentedFrames(video);
  await new Promise((r) => setTimeout(r, 1000));
  const after = await presentedFrames(video);
  return { before, after };
}
