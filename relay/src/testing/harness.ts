import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer, type StartOptions } from '../server.js';
import { DEFAULT_AGENT, startFakeHelpdesk, type FakeHelpdesk } from './fake-helpdesk.js';

/** An agent restricted to group 20: ticket 2 is theirs, ticket 1 (group 10) is not. */
export const RESTRICTED_AGENT_ID = 43;
import { TestSocket } from './ws-client.js';

export const APP_INDEX = '<!doctype html><html><head><title>Live Assist app</title></head><body><div id="root"></div></body></html>';
export const CUSTOMER_INDEX =
  '<!doctype html><html><head><title>Live Assist call</title></head><body><div id="customer-root"></div></body></html>';

/** A real relay on loopback (port 0, temp SQLite) talking to a fake helpdesk. */
export interface Harness {
  relay: RunningServer;
  helpdesk: FakeHelpdesk;
  dataDir: string;
  /** Moves the relay's clock forward. */
  advanceClock(ms: number): void;
  /** Signed-URL app load; returns the agent bearer token. */
  /** Loads the app signed for agent `sub` (default: the unrestricted admin 42). */
  agentToken(sub?: string): Promise<string>;
  /** The creating agent holds the seat, so its view always carries the specialist token. */
  createSession(agentToken: string, ticketId?: number): Promise<HeldSessionView>;
  api(path: string, init?: RequestInit & { agentToken?: string; json?: unknown }): Promise<Response>;
  join(inviteUrl: string, participantToken?: string): Promise<Response>;
  /** Opens a socket and completes hello → welcome. */
  connect(participantToken: string): Promise<TestSocket>;
  wsUrl(token: string): string;
  close(): Promise<void>;
}

export type HeldSessionView = SessionView & { specialistToken: string };

/** The view of the agent holding the seat; throws when it carries no specialist token. */
export function held(view: SessionView): HeldSessionView {
  if (view.specialistToken === null) throw new Error(`session ${view.sessionId}: this agent does not hold the seat`);
  return { ...view, specialistToken: view.specialistToken };
}

export function inviteTokenOf(inviteUrl: string): string {
  return inviteUrl.slice(inviteUrl.lastIndexOf('/') + 1);
}

export async function startHarness(
  env: Record<string, string> = {},
  opts: { heartbeatMs?: number; helloTimeoutMs?: number; expirySweepMs?: number; twilio?: StartOptions['twilio'] } = {},
): Promise<Harness> {
  const helpdesk = await startFakeHelpdesk(
    [
      {
        id: 1,
        subject: 'Pump makes a noise',
        requester: { id: 501, name: 'Carla Customer', email: 'carla@example.com', locale: 'de' },
        group_id: 10,
      },
      { id: 2, subject: 'Second ticket', requester: { id: 502, name: 'Bob', email: 'bob@example.com', locale: 'en-US' }, group_id: 20 },
    ],
    [
      DEFAULT_AGENT,
      {
        id: RESTRICTED_AGENT_ID,
        name: 'Rita Restricted',
        email: 'rita@example.com',
        locale: 'de',
        role: 'agent',
        ticket_restriction: 'groups',
        groupIds: [20],
      },
      { id: 501, name: 'Carla Customer', email: 'carla@example.com', locale: 'de', role: 'end-user' },
      // A second unrestricted agent of the account (takeover and seat tests).
      { id: 44, name: 'Thomas Berg', email: 'thomas@example.com', locale: 'de', role: 'agent' },
    ],
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const appDir = join(dataDir, 'app-dist');
  const customerDir = join(dataDir, 'customer-dist');
  mkdirSync(join(appDir, 'assets'), { recursive: true });
  mkdirSync(join(customerDir, 'assets'), { recursive: true });
  writeFileSync(join(appDir, 'index.html'), APP_INDEX);
  writeFileSync(join(appDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(appDir, 'assets', 'app.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
  writeFileSync(join(customerDir, 'index.html'), CUSTOMER_INDEX);
  writeFileSync(join(customerDir, 'assets', 'customer.js'), 'console.log("customer")');
  writeFileSync(join(customerDir, 'assets', 'customer.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');

  const config = loadConfig({
    DATA_DIR: dataDir,
    HELPDESK_URL: helpdesk.config.baseUrl,
    HELPDESK_EMAIL: helpdesk.config.email,
    HELPDESK_API_TOKEN: helpdesk.config.apiToken,
    ZENDESK_APP_ID: String(helpdesk.config.appId),
    ZENDESK_INSTALLATION_ID: String(helpdesk.config.installationId),
    ZENDESK_APP_DIR: appDir,
    CUSTOMER_WEB_DIR: customerDir,
    ...env,
  });
  let offset = 0;
  const relay = await startServer(config, {
    port: 0,
    log: silentLogger,
    now: () => Date.now() + offset,
    heartbeatMs: opts.heartbeatMs,
    helloTimeoutMs: opts.helloTimeoutMs,
    ...(opts.expirySweepMs ? { expirySweepMs: opts.expirySweepMs } : {}),
    ...(opts.twilio ? { twilio: opts.twilio } : {}),
  });

  const api: Harness['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.agentToken) headers.set('Authorization', `Bearer ${init.agentToken}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${relay.url}${path}`, { ...init, headers, body });
  };

  const harness: Harness = {
    relay,
    helpdesk,
    dataDir,
    api,
    advanceClock(ms) {
      offset += ms;
    },
    async agentToken(sub) {
      const res = await fetch(`${relay.url}/app/ticket_sidebar`, {
        method: 'POST',
        body: new URLSearchParams({ token: await helpdesk.sign(sub ? { sub } : {}) }),
      });
      const html = await res.text();
      const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(html);
      if (res.status !== 200 || !boot?.[1]) throw new Error(`app load failed: ${res.status}`);
      return (JSON.parse(boot[1]) as { agentToken: string }).agentToken;
    },
    async createSession(agentToken, ticketId = 1) {
      const res = await api('/api/sessions', { method: 'POST', agentToken, json: { ticketId } });
      if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
      return held((await res.json()) as SessionView);
    },
    join(inviteUrl, participantToken) {
      return api(`/api/invites/${inviteTokenOf(inviteUrl)}/join`, {
        method: 'POST',
        json: {
          acceptedPolicy: true,
          policyVersion: '2024-01',
          locale: 'de',
          consentText: 'Ich akzeptiere die Datenschutzerklärung',
          ...(participantToken ? { participantToken } : {}),
        },
      });
    },
    wsUrl(token) {
      return `${relay.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
    },
    async connect(participantToken) {
      const socket = await TestSocket.open(harness.wsUrl(participantToken));
      socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
      await socket.next('welcome');
      return socket;
    },
    async close() {
      await relay.close();
      await helpdesk.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export async function joinedCustomer(h: Harness, view: SessionView): Promise<JoinResponse> {
  const res = await h.join(view.inviteUrl);
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as JoinResponse;
}
