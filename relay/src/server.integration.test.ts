import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '@live-assist/protocol';
import { sandboxForRelay } from '@live-assist/sandbox';
import { ConfigError, loadConfig } from './config/index.js';
import { silentLogger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { APP_INDEX } from './testing/harness.js';

describe('startServer without a helpdesk', () => {
  it('refuses to start, naming the variables to set, before it writes anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-no-helpdesk-'));
    try {
      const start = startServer(loadConfig({ DATA_DIR: join(dir, 'data') }), { port: 0, log: silentLogger });
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(start).rejects.toThrow(/HELPDESK_URL, HELPDESK_EMAIL, HELPDESK_API_TOKEN, ZENDESK_APP_ID, ZENDESK_INSTALLATION_ID/);
      expect(existsSync(join(dir, 'data'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The sandbox bound as the development entry point binds it: the relay trusts its signed URLs. */
describe('startServer with the sandbox as its helpdesk', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-sandbox-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'index.html'), APP_INDEX);
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), ZENDESK_APP_DIR: join(dir, 'app') });
    const sandbox = sandboxForRelay({ dataDir: config.dataDir });
    server = await startServer(config, { port: 0, log: silentLogger, host: sandbox.host, helpdesk: sandbox.bind });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on the real port and serves the sandbox', async () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${server.url}/sandbox/`)).status).toBe(200);
  });

  it('an agent opened from the sandbox gets an app session and can start a call on a sandbox ticket', async () => {
    const workspace = await fetch(`${server.url}/sandbox/`);
    const cookie = workspace.headers.get('set-cookie')?.split(';')[0] ?? '';
    const tokenRes = await fetch(`${server.url}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: 1201 }),
    });
    expect(tokenRes.status).toBe(200);
    const { token } = (await tokenRes.json()) as { token: string };

    const app = await fetch(`${server.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token }) });
    expect(app.status).toBe(200);
    const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await app.text());
    const { agentToken } = JSON.parse(boot?.[1] ?? '{}') as { agentToken: string };

    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${agentToken}` },
      body: JSON.stringify({ ticketId: 1201 }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as SessionView).inviteUrl.startsWith(`${server.url}/join/`)).toBe(true);

    const missing = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${agentToken}` },
      body: JSON.stringify({ ticketId: 999999 }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ticket-not-found' } });
  });
});
