import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { importSPKI, jwtVerify } from 'jose';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../server/index.js';

const SANDBOX_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SDK_ENTRY = fileURLToPath(new URL('../../../node_modules/zendesk_app_framework_sdk/lib/index.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/sandbox/', import.meta.url));

let dir: string;
let server: Server;
let sandbox: Sandbox;
let base: string;
let browser: Browser;
let sdkBundle: string;

/** The real ZAF SDK, bundled as the browser global `ZAFClient` (it ships CommonJS only). */
async function bundleSdk(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: SDK_ENTRY, name: 'ZAFClient', formats: ['iife'], fileName: () => 'zaf.js' } },
  });
  const results = Array.isArray(out) ? out : [out];
  for (const r of results) {
    if ('output' in r) for (const chunk of r.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('SDK bundle missing');
}

// A stand-in for the relay's signed-URL app: verifies the token like the relay must, then runs a
// script that drives the host through the real SDK and prints what it saw into #out.
const SIDEBAR_SCRIPT = `
const out = {};
const render = () => { document.getElementById('out').textContent = JSON.stringify(out); };
const client = ZAFClient.init();
client.on('app.registered', async ({ context, metadata }) => {
  out.context = context; out.metadata = metadata;
  out.get = await client.get(['ticket.id', 'ticket.subject', 'ticket.requester', 'currentUser']);
  try { await client.get('ticket.nope'); } catch (e) { out.getError = e.message; }
  await client.invoke('resize', { width: '100%', height: '420px' });
  out.request = await client.request({ url: '{{setting.relay_url}}/api/v2/users/me.json', type: 'GET', dataType: 'json' });
  try { await client.request({ url: '/api/v2/tickets/999999.json' }); } catch (e) { out.requestFail = { status: e.status, responseText: e.responseText }; }
  // Shown for ten minutes: the test looks for it only after the modal round trip, which a busy
  // machine can stretch past a notice's usual few seconds.
  await client.invoke('notify', 'Invite link copied', 'notice', 600000);
  client.on('modal.ready', (data) => { out.modalReady = data; render(); });
  const created = await client.invoke('instances.create', { location: 'modal', url: 'modal', size: { width: '520px', height: '320px' } });
  out.modal = created['instances.create'][0];
  document.getElementById('summary').textContent = 'Test app connected to ticket #' + out.get['ticket.id'] + ' as ' + out.get.currentUser.name;
  client.instance(out.modal.instanceGuid).on('modal.close', () => { out.modalClosed = true; render(); });
  render();
});`;

const MODAL_SCRIPT = `
const client = ZAFClient.init();
client.on('app.registered', async ({ context }) => {
  let ticketError = null;
  try { await client.get('ticket.id'); } catch (e) { ticketError = e.message; }
  client.trigger('modal.ready', { location: context.location, ticketError });
  document.getElementById('out').textContent = 'modal ' + context.instanceGuid;
});`;

async function start(): Promise<void> {
  const app = express();
  const mounted: { sandbox?: Sandbox } = {};
  app.get('/test-sdk/zaf.js', (_req, res) => {
    res.type('text/javascript').send(sdkBundle);
  });
  app.post('/app/:location', express.urlencoded({ extended: false }), async (req, res) => {
    const s = mounted.sandbox;
    const token: unknown = req.body?.token;
    if (!s || typeof token !== 'string') return void res.status(401).send('no token');
    const pem = await (await fetch(`${base}/api/v2/apps/${s.helpdesk.appId}/public_key.pem`)).text();
    try {
      const { payload } = await jwtVerify(token, await importSPKI(pem, 'RS256'), {
        issuer: new URL(base).host,
        audience: `${base}/api/v2/apps/installations/${s.helpdesk.installationId}.json`,
      });
      if ((payload.context as { location?: string }).location !== req.params.location) throw new Error('wrong location');
    } catch (e) {
      return void res.status(401).send(String(e));
    }
    const script = req.params.location === 'modal' ? MODAL_SCRIPT : SIDEBAR_SCRIPT;
    res
      .type('html')
      .send(
        `<!doctype html><html><body style="font:14px system-ui;margin:12px"><p id="summary">Test app (${req.params.location})</p><pre id="out" hidden></pre><script src="/test-sdk/zaf.js"></script><script>${script}</script></body></html>`,
      );
  });
  app.use((req, res, next) => (mounted.sandbox ? mounted.sandbox.router(req, res, next) : next()));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = await createSandbox({ dbPath: join(dir, 'sandbox.db'), publicUrl: base, appUrl: `${base}/app` });
  mounted.sandbox = sandbox;
}

/** Waits on the state, with a deadline far beyond a busy machine's worst (never a count of tries). */
const WAIT_MS = 30_000;

async function appFrame(page: Page, location: string): Promise<Frame> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const f = page.frames().find((fr) => fr.url().includes(`/app/${location}`));
    if (f) return f;
    if (Date.now() > deadline) throw new Error(`no ${location} frame after ${WAIT_MS} ms`);
    await page.waitForTimeout(100);
  }
}

async function output(frame: Frame, until: (o: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  let text = '';
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    text = (await frame.locator('#out').textContent()) ?? '';
    if (text) {
      const o = JSON.parse(text) as Record<string, unknown>;
      if (until(o)) return o;
    }
    if (Date.now() > deadline) throw new Error(`app output not complete after ${WAIT_MS} ms; last seen: ${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-e2e-'));
  if (!existsSync(join(SANDBOX_ROOT, 'dist/host/index.html'))) {
    await build({ configFile: join(SANDBOX_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
  sdkBundle = await bundleSdk();
  await start();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox'],
  });
});

afterAll(async () => {
  await browser?.close();
  sandbox?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('ZAF host with the real zendesk_app_framework_sdk', () => {
  it('registers the sidebar, answers get/invoke/request and runs a modal instance', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/sandbox/tickets/1201`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Wilo-Stratos MAXO shows error E21');

    const sidebar = await appFrame(page, 'ticket_sidebar');
    const out = await output(sidebar, (o) => 'modalReady' in o);

    expect(out.context).toMatchObject({
      product: 'support',
      location: 'ticket_sidebar',
      ticketId: 1201,
      account: { subdomain: 'sandbox' },
    });
    expect(out.metadata).toMatchObject({
      appId: sandbox.helpdesk.appId,
      installationId: sandbox.helpdesk.installationId,
      name: 'Live Assist',
      settings: { relay_url: base },
    });
    expect(out.get).toMatchObject({
      'ticket.id': 1201,
      'ticket.subject': 'Wilo-Stratos MAXO shows error E21',
      'ticket.requester': { name: 'Georgi Ivanov', email: 'georgi.ivanov@example.net', locale: 'bg' },
      currentUser: { name: 'Maria Petrova', role: 'admin' },
      errors: {},
    });
    expect(out.getError).toContain('ticket.nope');
    expect(out.request).toMatchObject({ user: { name: 'Maria Petrova' } });
    expect(out.requestFail).toMatchObject({ status: 404 });
    expect(out.modalReady).toEqual({ location: 'modal', ticketError: expect.stringContaining('ticket.id') });

    expect(await page.locator('iframe.app-frame').evaluate((el: HTMLElement) => el.style.height)).toBe('420px');
    // The same request from a window that is not the app's iframe must be ignored.
    const sidebarGuid = (out.context as { instanceGuid: string }).instanceGuid;
    await page.evaluate((guid) => {
      const forged = { id: 99, request: 'invoke', params: { resize: [{ height: '77px' }] }, appGuid: guid, instanceGuid: guid };
      window.postMessage(JSON.stringify(forged), '*');
    }, sidebarGuid);
    await page.waitForTimeout(300);
    expect(await page.locator('iframe.app-frame').evaluate((el: HTMLElement) => el.style.height)).toBe('420px');
    await expect.poll(() => page.getByText('Invite link copied').count()).toBe(1);

    const modal = page.getByRole('dialog', { name: 'Live Assist' });
    expect(await modal.count()).toBe(1);
    expect(await page.locator('iframe.modal-frame').evaluate((el: HTMLElement) => el.style.width)).toBe('520px');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-with-modal.png') });

    await modal.getByRole('button', { name: 'Close' }).click();
    expect(await modal.count()).toBe(0);
    await output(sidebar, (o) => o.modalClosed === true);

    // A note written through the API (as the relay does at call end) shows up without a reload.
    const auth = {
      authorization: `Basic ${Buffer.from(`${sandbox.helpdesk.email}/token:${sandbox.helpdesk.apiToken}`).toString('base64')}`,
    };
    const upload = await (
      await fetch(`${base}/api/v2/uploads.json?filename=call-summary.txt`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: 'summary',
      })
    ).json();
    const put = await fetch(`${base}/api/v2/tickets/1201.json`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        ticket: { comment: { body: 'Live Assist video call ended.\nDuration: 6 min 12 s', public: false, uploads: [upload.upload.token] } },
      }),
    });
    expect(put.status).toBe(200);
    const note = page.locator('.comment.internal', { hasText: 'Live Assist video call ended.' });
    await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
    expect(await note.getByRole('link', { name: /call-summary\.txt/ }).count()).toBe(1);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-view.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('?locale= on a ticket page changes the agent locale the app reads, and only to a known one', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const currentUser = async (search: string) => {
      await page.goto(`${base}/sandbox/tickets/1201${search}`);
      const out = await output(await appFrame(page, 'ticket_sidebar'), (o) => 'get' in o);
      return (out.get as { currentUser: { name: string; locale: string } }).currentUser;
    };
    expect(await currentUser('?locale=bg')).toMatchObject({ name: 'Maria Petrova', locale: 'bg' });
    expect(await currentUser('?locale=DE')).toMatchObject({ locale: 'de' });
    expect(await currentUser('?locale=xx-evil')).toMatchObject({ locale: 'en-US' });
    await expect.poll(() => page.getByText('Unknown agent locale "xx-evil" ignored').count()).toBe(1);
    expect(await currentUser('')).toMatchObject({ locale: 'en-US' });
    await page.close();
  });

  it('shows the ticket list with the seeded Wilo tickets', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/sandbox/`);
    await expect.poll(() => page.getByRole('link', { name: 'Wilo-Stratos MAXO shows error E21' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-list.png') });
    await page.getByRole('link', { name: 'Wilo-Yonos PICO makes a loud noise after restart' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Wilo-Yonos PICO makes a loud noise after restart');
    await page.close();
  });
});
