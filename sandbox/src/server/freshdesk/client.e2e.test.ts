import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '@live-assist/relay';
import { freshdeskSandboxForRelay } from './binding.js';

/**
 * The Freshworks client stand-in in a real browser: a fixture app on the sandbox's ticket page
 * calls every method the Live Assist app uses and prints what it got.
 */

const REQUESTS = {
  signIn: {
    schema: {
      protocol: 'https',
      method: 'POST',
      host: '<%= iparam.relay_host %>',
      path: '/api/app/agent-session',
      headers: { Authorization: 'Bearer <%= iparam.app_secret %>', 'Content-Type': 'application/json' },
    },
  },
  secretInQuery: {
    schema: { method: 'GET', host: '<%= iparam.relay_host %>', path: '/healthz', query: { s: '<%= iparam.app_secret %>' } },
  },
};

const APP_SCRIPT = `
const out = {};
const show = () => { document.getElementById('out').textContent = JSON.stringify(out); };
(async () => {
  const client = await app.initialized();
  out.ticket = (await client.data.get('ticket')).ticket.id;
  out.requester = (await client.data.get('requester')).requester.name;
  const user = (await client.data.get('loggedInUser')).loggedInUser;
  out.domain = (await client.data.get('domainName')).domainName;
  try { await client.data.get('payment'); } catch (e) { out.dataError = e.status; }
  const body = JSON.stringify({ agentId: user.id, agentEmail: user.contact.email, ticketId: out.ticket, account: out.domain });
  const signIn = await client.request.invokeTemplate('signIn', { body });
  out.signedIn = JSON.parse(signIn.response).agent.name;
  try { await client.request.invokeTemplate('secretInQuery', {}); } catch (e) { out.refused = e.errorSource + ' ' + e.status; }
  out.context = await client.instance.context();
  await client.instance.resize({ height: '520px' });
  await client.interface.trigger('showNotify', { type: 'success', title: 'Live Assist', message: 'Invite sent' });
  await client.interface.trigger('showModal', { title: 'Specialist view', template: 'modal.html', data: { sessionId: 's-1' } });
  show();
})().catch((e) => { out.failed = JSON.stringify(e) + String(e); show(); });
`;

const MODAL_SCRIPT = `
app.initialized().then((client) => client.instance.context()).then((ctx) => {
  document.getElementById('out').textContent = JSON.stringify(ctx);
});
`;

function fixtureApp(dir: string): string {
  mkdirSync(join(dir, 'app', 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ modules: { common: { requests: { signIn: {}, secretInQuery: {} } } } }));
  writeFileSync(join(dir, 'config', 'requests.json'), JSON.stringify(REQUESTS));
  writeFileSync(
    join(dir, 'config', 'iparams.json'),
    JSON.stringify({ relay_host: { type: 'text' }, app_secret: { type: 'text', secure: true } }),
  );
  const html = (script: string) =>
    `<!doctype html><html><head>{{{appclient}}}</head><body><pre id="out"></pre><script src="scripts/${script}"></script></body></html>`;
  writeFileSync(join(dir, 'app', 'index.html'), html('app.js'));
  writeFileSync(join(dir, 'app', 'modal.html'), html('modal.js'));
  writeFileSync(join(dir, 'app', 'scripts', 'app.js'), APP_SCRIPT);
  writeFileSync(join(dir, 'app', 'scripts', 'modal.js'), MODAL_SCRIPT);
  return dir;
}

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-client-'));
  const config = loadConfig({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' });
  const sandbox = freshdeskSandboxForRelay({ dataDir: config.dataDir, appDir: fixtureApp(join(dir, 'app')) });
  server = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, processMetrics: false });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Freshworks client stand-in on the Freshdesk sandbox ticket page', () => {
  it('answers data, request templates, instance and interface calls as the platform documents them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/sandbox/freshdesk/tickets/1201`);
    const sidebar = page.frameLocator('iframe[data-instance="sidebar"]');
    await expect.poll(async () => (await sidebar.locator('#out').textContent()) ?? '', { timeout: 20_000 }).toContain('"ticket"');
    const out = JSON.parse((await sidebar.locator('#out').textContent())!) as Record<string, unknown>;
    expect(out).toEqual({
      ticket: 1201,
      requester: 'Georgi Ivanov',
      domain: new URL(server.url).host,
      dataError: 400,
      signedIn: 'Maria Petrova',
      refused: 'PLATFORM 400',
      context: { instanceId: 'sidebar', location: 'ticket_sidebar' },
    });
    await expect
      .poll(() => page.locator('iframe[data-instance="sidebar"]').evaluate((f) => (f as HTMLIFrameElement).style.height))
      .toBe('520px');
    await expect.poll(() => page.locator('#notify').textContent()).toContain('Live Assist: Invite sent');
    await expect.poll(() => page.locator('#modal h2').textContent()).toBe('Specialist view');
    const modal = page.frameLocator('iframe[data-instance="modal"]');
    await expect
      .poll(async () => (await modal.locator('#out').textContent()) ?? '', { timeout: 20_000 })
      .toBe(JSON.stringify({ instanceId: 'modal', location: 'modal', modalData: { sessionId: 's-1' } }));
    expect(errors).toEqual([]);
  });
});
