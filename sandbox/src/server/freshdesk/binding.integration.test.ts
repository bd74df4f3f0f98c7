import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '@live-assist/relay';
import { freshdeskSandboxForRelay } from './binding.js';

/**
 * The relay bound to the Freshdesk sandbox as `HELPDESK=freshdesk npm start` binds it, with a
 * fixture app installed: the app's sign-in goes through the sandbox's request-template proxy
 * (secure iparam added as a header), and the relay reads agent and ticket back through the
 * sandbox's REST API before it answers.
 */

const REQUESTS = {
  signIn: {
    schema: {
      method: 'POST',
      host: '<%= iparam.relay_host %>',
      path: '/api/app/agent-session',
      headers: { Authorization: 'Bearer <%= iparam.app_secret %>', 'Content-Type': 'application/json' },
    },
  },
};

function fixtureApp(dir: string): string {
  mkdirSync(join(dir, 'app'), { recursive: true });
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ 'platform-version': '3.0', modules: { common: { requests: { signIn: {} } } } }),
  );
  writeFileSync(join(dir, 'config', 'requests.json'), JSON.stringify(REQUESTS));
  writeFileSync(
    join(dir, 'config', 'iparams.json'),
    JSON.stringify({ relay_host: { type: 'text', required: true }, app_secret: { type: 'text', required: true, secure: true } }),
  );
  writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html><html><head>{{{appclient}}}</head><body>fixture</body></html>');
  return dir;
}

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
let sandbox: ReturnType<typeof freshdeskSandboxForRelay>;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-binding-'));
  const config = loadConfig({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' });
  sandbox = freshdeskSandboxForRelay({ dataDir: config.dataDir, appDir: fixtureApp(join(dir, 'app')) });
  server = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, processMetrics: false });
  const page = await fetch(`${server.url}/sandbox/freshdesk/tickets/1201`);
  expect(page.status).toBe(200);
  cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const invoke = async (name: string, options: unknown) =>
  (await (
    await fetch(`${server.url}/sandbox/freshdesk/api/invoke`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name, options }),
    })
  ).json()) as { ok: boolean; result: { status: number; response: string; errorSource?: string } };

const data = async (name: string) =>
  ((await (await fetch(`${server.url}/sandbox/freshdesk/api/data/1201`, { headers: { cookie } })).json()) as Record<string, unknown>)[name];

describe('HELPDESK=freshdesk with the sandbox bound', () => {
  it('serves the ticket page with the app, the client where {{{appclient}}} stood', async () => {
    const html = await (await fetch(`${server.url}/sandbox/freshdesk/app/index.html?ticket=1201`)).text();
    expect(html).toContain('<script src="/sandbox/freshdesk/client.js"></script>');
    expect(html).not.toContain('{{{appclient}}}');
  });

  it('the app signs in through its request template: the relay checks agent and ticket with the sandbox', async () => {
    const user = (await data('loggedInUser')) as { id: number; contact: { email: string } };
    const domainName = (await data('domainName')) as string;
    const body = JSON.stringify({ agentId: user.id, agentEmail: user.contact.email, ticketId: 1201, account: domainName });
    const out = await invoke('signIn', { body });
    expect(out.ok).toBe(true);
    expect(JSON.parse(out.result.response)).toMatchObject({ agent: { id: '10001', name: 'Maria Petrova' } });
    const missing = await invoke('signIn', { body: JSON.stringify({ agentId: user.id, agentEmail: user.contact.email, ticketId: 9999 }) });
    expect(missing).toMatchObject({ ok: false, result: { status: 404, errorSource: 'APP' } });
  });

  it('the relay reads tickets through the sandbox REST with the generated API key', async () => {
    const res = await fetch(`${server.url}/api/v2/tickets/1201?include=requester`, { headers: { authorization: sandbox.authorization() } });
    expect(await res.json()).toMatchObject({ id: 1201, requester: { name: 'Georgi Ivanov' } });
  });

  it('the invoke proxy needs the agent session of the sandbox page', async () => {
    const res = await fetch(`${server.url}/sandbox/freshdesk/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'signIn', options: {} }),
    });
    expect(res.status).toBe(401);
  });
});
