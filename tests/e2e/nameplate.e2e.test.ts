import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { SANDBOX_INSTALLATION_ID } from '@live-assist/sandbox';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { agentStartsVideo, customerJoins, framesRiseOverOneSecond, presentedFrames, whatThePageShows } from '../support/journey.js';
import { DistortionLevel, PlateFont, renderPlateScene, type PlateSpec, type RenderedPlate } from '../support/nameplate-image.js';
import { fitted, type Size } from '../support/picture.js';
import { productAndBrowser } from '../support/suite.js';
import { writeY4m } from '../support/y4m.js';

/**
 * Read the nameplate: the phone's camera films a pump's type plate; the specialist freezes the
 * picture, boxes the plate, reads it in the console, checks the fields and adds them to the ticket.
 * The call note then names the plate (with its crop attached) and the mapped ticket field holds
 * the serial number.
 */

/** John Carter's ticket (en-US requester): the note is written in English. */
const TICKET = 1203;
const FRAME = { width: 1280, height: 720 } as const;
const SHOTS = process.env.NAMEPLATE_SHOTS;

/** A Wilo plate as printed (no code on it: the serial must come from the text), slightly worn and tilted. */
const PLATE: PlateSpec = {
  maker: 'WILO SE',
  model: 'Stratos PICO 25/1-4',
  serial: '2145 3071822',
  productionCode: '2145',
  articleNumber: '4132458',
  font: PlateFont.sans,
  background: 'metal',
  labels: 'de-en',
  code: null,
};

const dir = mkdtempSync(join(tmpdir(), 'nameplate-e2e-'));
let scene: Promise<RenderedPlate> | null = null;
const theScene = () => (scene ??= renderPlateScene(PLATE, DistortionLevel.mild, FRAME));

const suite = productAndBrowser({}, 'sqlite', {
  phoneVideo: async () => {
    const path = join(dir, 'plate.y4m');
    await writeY4m(path, (await theScene()).png);
    return path;
  },
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Where a point of the still (its own pixels) shows on the agent's page (letterboxed, contain). */
async function onStill(desk: Frame, at: { x: number; y: number }, still: Size): Promise<{ x: number; y: number }> {
  const box = (await desk.getByTestId('console-still').boundingBox())!;
  const c = fitted({ left: box.x, top: box.y, width: box.width, height: box.height }, still, 'contain');
  return { x: c.left + (at.x / still.width) * c.width, y: c.top + (at.y / still.height) * c.height };
}

/** The API's view of the account (the sandbox's Zendesk REST subset). */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${suite.product.url}/api/v2${path}`, {
    ...init,
    headers: { Authorization: suite.product.helpdeskAuthorization, 'Content-Type': 'application/json', ...init.headers },
  });
}

/** The admin maps the plate's serial number to a ticket field in the app's installation settings. */
async function mapSerialToTicketField(): Promise<number> {
  const fields = ((await (await api('/ticket_fields.json')).json()) as { ticket_fields: { id: number; title: string }[] }).ticket_fields;
  const serial = fields.find((f) => f.title === 'Serial number');
  if (!serial) throw new Error(`the sandbox has no "Serial number" ticket field: ${fields.map((f) => f.title).join(', ')}`);
  const res = await api(`/apps/installations/${SANDBOX_INSTALLATION_ID}.json`, {
    method: 'PUT',
    body: JSON.stringify({ settings: { nameplate_serial_field: String(serial.id) } }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return serial.id;
}

describe('nameplate: the specialist reads a type plate off the frozen picture into the ticket', () => {
  it(
    'freeze, box the plate, Read text, check, Add to ticket; the call note and the mapped field hold it',
    { timeout: 480_000 },
    async () => {
      const { truth, plateBox } = await theScene();
      const agent = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      try {
        // The console's own account of a failed reading (engine load, worker), for the failure message.
        const said: string[] = [];
        agent.on('console', (m) => {
          if (m.text().includes('[nameplate]')) said.push(m.text());
        });
        agent.on('weberror', (e) => said.push(`page error: ${e.error().message}`));
        const { page, sidebar, console: desk, inviteUrl } = await agentStartsVideo(agent, TICKET);
        await customerJoins(customer, inviteUrl);
        const remote = desk.getByTestId('remote-video');
        await expect.poll(() => presentedFrames(remote), { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
        await framesRiseOverOneSecond(remote);
        const toolbar = desk.getByRole('toolbar', { name: 'Annotation tools' });

        // Read text is a tool of the frozen picture only.
        expect(await toolbar.getByRole('button', { name: 'Read text' }).count()).toBe(0);
        await toolbar.getByRole('button', { name: 'Freeze', exact: true }).click();
        const still = desk.getByTestId('console-still');
        await still.waitFor({ timeout: 45_000 });
        const size = await still.evaluate(
          (img: HTMLImageElement) =>
            new Promise<Size>((resolve) => {
              const done = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
              if (img.complete && img.naturalWidth > 0) done();
              else img.addEventListener('load', done, { once: true });
            }),
        );
        expect(size).toEqual(FRAME);

        // The tool, then a box dragged around the plate (a little margin, as a person draws it).
        const tool = toolbar.getByRole('button', { name: 'Read text' });
        await tool.click();
        await expect.poll(() => tool.getAttribute('aria-pressed')).toBe('true');
        await desk.getByTestId('plate-box-hint').waitFor();
        // The agent's own picture steps aside: the whole still is there to box.
        await desk.getByTestId('local-video').waitFor({ state: 'detached' });
        const margin = 16;
        const from = await onStill(desk, { x: plateBox.x - margin, y: plateBox.y - margin }, size);
        const to = await onStill(desk, { x: plateBox.x + plateBox.width + margin, y: plateBox.y + plateBox.height + margin }, size);
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        await page.mouse.move(to.x, to.y, { steps: 12 });
        await page.mouse.up();
        const panel = desk.getByRole('region', { name: 'Nameplate' });
        await panel.getByRole('img', { name: 'The boxed part of the still' }).waitFor();
        // The crop is the box at the still's own resolution.
        const crop = await panel
          .getByRole('img', { name: 'The boxed part of the still' })
          .evaluate((img: HTMLImageElement) => img.decode().then(() => ({ width: img.naturalWidth, height: img.naturalHeight })));
        expect(Math.abs(crop.width - (plateBox.width + 2 * margin))).toBeLessThanOrEqual(4);
        expect(Math.abs(crop.height - (plateBox.height + 2 * margin))).toBeLessThanOrEqual(4);
        await shot(page, 'console-nameplate-box');
        // No annotation was drawn by the drag.
        expect(await desk.locator('g[data-mark-id]').count()).toBe(0);

        // Read text: the fields fill with what the plate says.
        await panel.getByRole('button', { name: 'Read text' }).click();
        await shot(page, 'console-nameplate-reading');
        const serial = panel.getByRole('textbox', { name: 'Serial number' });
        const model = panel.getByRole('textbox', { name: 'Model' });
        await serial.waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
          throw new Error(`no fields after Read text; the console shows ${await whatThePageShows(desk)}`, { cause: error });
        });
        await shot(page, 'console-nameplate-read');
        expect(await panel.getByTestId('nameplate-problem').count(), `${await whatThePageShows(desk)}\n${said.join('\n')}`).toBe(0);
        expect(await serial.inputValue()).toBe(truth.serial);
        expect(await model.inputValue()).toBe(truth.model);
        await shot(page, 'console-nameplate-fields');

        // The admin has mapped the serial number to a ticket field (read when the note is written).
        const serialField = await mapSerialToTicketField();

        // Add to ticket: the relay keeps the plate for the note and says so.
        await panel.getByRole('button', { name: 'Add to ticket' }).click();
        await panel.getByText('Saved to the call note.').waitFor({ timeout: 45_000 });
        expect(await panel.getByTestId('nameplate-saved').innerText()).toContain(truth.serial);
        await shot(page, 'console-nameplate-saved');
        await panel.getByRole('button', { name: 'Close' }).click();
        await panel.waitFor({ state: 'detached' });
        await desk.getByTestId('local-video').waitFor();

        // The call ends; the note names the plate and carries its crop, the mapped field the serial.
        await desk.getByRole('button', { name: 'End session' }).click();
        await desk.getByRole('button', { name: 'End session' }).last().click();
        await desk.getByRole('button', { name: 'Close window' }).click();
        const noteStatus = sidebar.getByTestId('note-status');
        await expect.poll(() => noteStatus.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
        const comments = (
          (await (await api(`/tickets/${TICKET}/comments.json?per_page=100`)).json()) as {
            comments: { plain_body: string; html_body: string; attachments: { file_name: string; size: number }[] }[];
          }
        ).comments;
        const note = comments.find((c) => c.plain_body.includes('Live Assist ref: call-note:'));
        expect(note, 'the call note').toBeDefined();
        expect(note!.html_body).toContain('Nameplate');
        expect(note!.html_body).toContain(truth.serial);
        const plateFiles = note!.attachments.filter((a) => /nameplate/i.test(a.file_name));
        expect(plateFiles, note!.attachments.map((a) => a.file_name).join(', ')).toHaveLength(1);
        expect(plateFiles[0]!.size).toBeGreaterThan(0);
        await expect
          .poll(async () => {
            const t = (await (await api(`/tickets/${TICKET}.json`)).json()) as {
              ticket: { custom_fields?: { id: number; value: unknown }[] };
            };
            return t.ticket.custom_fields?.find((f) => f.id === serialField)?.value;
          })
          .toBe(truth.serial);
      } finally {
        await customer.close();
        await agent.close();
      }
    },
  );
});
