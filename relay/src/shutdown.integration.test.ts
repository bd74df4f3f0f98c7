import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, PROTOCOL_VERSION, type SessionView } from '@live-assist/protocol';
import { startFakeZendesk, type FakeZendesk } from './testing/fakes/zendesk.js';
import { startRelayChild, type RelayChild } from './testing/relay-process.js';
import { TestSocket } from './testing/ws-client.js';

let zendesk: FakeZendesk;
let dir: string;
let relay: RelayChild | undefined;

beforeEach(async () => {
  zendesk = await startFakeZendesk({ tickets: [1] });
  dir = mkdtempSync(join(tmpdir(), 'la-shutdown-'));
});
afterEach(async () => {
  if (relay && relay.child.exitCode === null && relay.child.signalCode === null) {
    relay.child.kill('SIGKILL');
    await relay.exited;
  }
  relay = undefined;
  await zendesk.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The production relay against the Zendesk stand-in, with the specialist's socket open. */
async function relayWithSpecialist(env: Record<string, string> = {}) {
  const appDir = join(dir, 'app');
  mkdirSync(appDir);
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  relay = await startRelayChild({
    PORT: '0',
    DATA_DIR: join(dir, 'data'),
    ZENDESK_APP_DIR: appDir,
    CUSTOMER_WEB_DIR: appDir,
    HELPDESK_URL: zendesk.config.baseUrl,
    HELPDESK_EMAIL: zendesk.config.email,
    HELPDESK_API_TOKEN: zendesk.config.apiToken,
    ZENDESK_APP_ID: String(zendesk.config.appId),
    ZENDESK_INSTALLATION_ID: String(zendesk.config.installationId),
    ...env,
  });
  const signed = await zendesk.sign();
  const load = await fetch(`${relay.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token: signed }) });
  const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await load.text());
  const agent = (JSON.parse(boot?.[1] ?? '{}') as { agentToken: string }).agentToken;
  const created = await fetch(`${relay.url}/api/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${agent}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketId: 1 }),
  });
  expect(created.status).toBe(201);
  const view = (await created.json()) as SessionView;
  const socket = await TestSocket.open(`${relay.url.replace(/^http/, 'ws')}/ws?token=${view.specialistToken}`);
  socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  await socket.next('welcome');
  return { relay, socket, secrets: [signed, agent, view.specialistToken ?? 'missing', view.inviteUrl.split('/').pop() ?? 'missing'] };
}

describe('the production relay on SIGTERM', () => {
  it('tells the open socket to reconnect elsewhere (1012) and exits 0, logging JSON lines without credentials', async () => {
    const { relay, socket, secrets } = await relayWithSpecialist();
    const signalled = Date.now();
    relay.child.kill('SIGTERM');
    expect(await socket.closed()).toBe(CloseCode.relayRestart);
    expect(await relay.exited).toEqual({ code: 0, signal: null });
    const took = Date.now() - signalled;
    console.info(`[measured] SIGTERM to exit: ${took} ms`);
    expect(took).toBeLessThan(10_000);

    const lines = relay.stdout().trim().split('\n');
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('SIGTERM received, shutting down gracefully');
    expect(messages).toContain('socket closed');
    for (const secret of secrets) expect(relay.stdout() + relay.stderr()).not.toContain(secret);
  });

  it('with SHUTDOWN_DRAIN_SECONDS first answers /readyz with 503 while still serving; a second signal ends the wait', async () => {
    const { relay, socket } = await relayWithSpecialist({ SHUTDOWN_DRAIN_SECONDS: '120' });
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(200);
    // The production wiring: this process's figures and the open socket, to a loopback scraper.
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^relay_sockets_open 1$/m);
    relay.child.kill('SIGTERM');
    await expect.poll(async () => (await fetch(`${relay.url}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${relay.url}/readyz`)).json()).toEqual({ ok: false, draining: true });
    // Still serving the session meanwhile.
    socket.send({ type: 'ping', t: 1 });
    await socket.next('pong');
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);

    relay.child.kill('SIGINT');
    expect(await socket.closed()).toBe(CloseCode.relayRestart);
    expect(await relay.exited).toEqual({ code: 0, signal: null });
  });
});
