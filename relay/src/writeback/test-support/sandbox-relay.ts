import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { loadConfig } from '../../config.js';
import { consoleLogger, silentLogger } from '../../logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../server.js';
import { APP_INDEX, CUSTOMER_INDEX, held, inviteTokenOf, type HeldSessionView } from '../../testing/harness.js';
import { TestSocket } from '../../testing/ws-client.js';

/** A real relay in sandbox mode (its own Zendesk stand-in mounted), driven over HTTP and WebSocket. */
export interface SandboxRelay {
  relay: RunningServer;
  dataDir: string;
  /** Signed-URL app load through the sandbox, as the ticket page does it (as `agentId`, default the admin). */
  agentToken(ticketId: number, agentId?: number): Promise<string>;
  api(path: string, init?: RequestInit & { bearer?: string; json?: unknown }): Promise<Response>;
  /** Switches the sandbox's account rules (file types, a 429 burst); answers what is now in force. */
  strictness(update: { refusedFileTypes?: string[]; rateLimit?: { requests: number; retryAfterSeconds: number } }): Promise<Response>;
  /** Basic-auth call to the sandbox's Zendesk API. */
  zendesk(path: string, init?: RequestInit): Promise<Response>;
  createSession(agentToken: string, ticketId: number): Promise<HeldSessionView>;
  join(view: SessionView, locale?: string): Promise<JoinResponse>;
  connect(token: string): Promise<TestSocket>;
  close(): Promise<void>;
}

export async function startSandboxRelay(
  opts: Pick<StartOptions, 'writeback' | 'smsHttpClient' | 'port'> & { dataDir?: string } = {},
  env: Record<string, string> = {},
): Promise<SandboxRelay> {
  // A given data dir belongs to the caller (a restart test reopens it); a fresh one is removed on close.
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'writeback-relay-'));
  const appDir = join(dataDir, 'app-dist');
  const customerDir = join(dataDir, 'customer-dist');
  mkdirSync(appDir, { recursive: true });
  mkdirSync(customerDir, { recursive: true });
  writeFileSync(join(appDir, 'index.html'), APP_INDEX);
  writeFileSync(join(customerDir, 'index.html'), CUSTOMER_INDEX);
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ZENDESK_APP_DIR: appDir, CUSTOMER_WEB_DIR: customerDir, ...env });
  const { dataDir: _dir, ...startOpts } = opts;
  const relay = await startServer(config, { port: 0, log: process.env.WRITEBACK_DEBUG ? consoleLogger : silentLogger, ...startOpts });
  const creds = relay.sandboxCredentials!;
  const basic = `Basic ${Buffer.from(`${creds.email}/token:${creds.apiToken}`).toString('base64')}`;

  const api: SandboxRelay['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${relay.url}${path}`, { ...init, headers, body });
  };

  const sr: SandboxRelay = {
    relay,
    dataDir,
    api,
    strictness: (update) =>
      fetch(`${relay.url}/sandbox/api/strictness`, {
        method: 'PUT',
        headers: { Authorization: basic, 'Content-Type': 'application/json' },
        body: JSON.stringify(update),
      }),
    zendesk: (path, init = {}) => fetch(`${relay.url}${path}`, { ...init, headers: { Authorization: basic, ...init.headers } }),
    async agentToken(ticketId, agentId) {
      const page = await fetch(`${relay.url}/sandbox/tickets/${ticketId}`);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const tokenRes = await fetch(`${relay.url}/sandbox/api/app-token`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify({ location: 'ticket_sidebar', ticketId, ...(agentId ? { agentId } : {}) }),
      });
      const { token } = (await tokenRes.json()) as { token: string };
      const res = await fetch(`${relay.url}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token }) });
      const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await res.text());
      if (res.status !== 200 || !boot?.[1]) throw new Error(`app load failed: ${res.status}`);
      return (JSON.parse(boot[1]) as { agentToken: string }).agentToken;
    },
    async createSession(agentToken, ticketId) {
      const res = await api('/api/sessions', { method: 'POST', bearer: agentToken, json: { ticketId } });
      if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
      return held((await res.json()) as SessionView);
    },
    async join(view, locale = 'en-US') {
      const res = await api(`/api/invites/${inviteTokenOf(view.inviteUrl)}/join`, {
        method: 'POST',
        json: { acceptedPolicy: true, policyVersion: '2024-01', locale, consentText: 'I accept the privacy policy' },
      });
      if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as JoinResponse;
    },
    async connect(token) {
      const socket = await TestSocket.open(`${relay.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
      socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
      await socket.next('welcome');
      return socket;
    },
    async close() {
      await relay.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return sr;
}

export interface ZendeskComment {
  id: number;
  public: boolean;
  body: string;
  html_body: string;
  plain_body: string;
  attachments: { file_name: string; content_type: string; size: number; content_url: string }[];
}

export async function ticketComments(sr: SandboxRelay, ticketId: number): Promise<ZendeskComment[]> {
  const res = await sr.zendesk(`/api/v2/tickets/${ticketId}/comments.json?per_page=100`);
  if (res.status !== 200) throw new Error(`comments.json answered ${res.status}`);
  return ((await res.json()) as { comments: ZendeskComment[] }).comments;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
