import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type JoinResponse, type SessionView } from '@live-assist/protocol';
import { sandboxForRelay } from '@live-assist/sandbox';
import { loadConfig } from '../config/index.js';
import { consoleLogger, silentLogger } from '../logger.js';
import { startServer, type RunningServer, type StartOptions } from '../server.js';
import { DEFAULT_AGENT, startFakeZendesk, type FakeTicket, type FakeUser, type FakeZendesk } from './fakes/zendesk.js';
import { FRESHDESK_AGENTS, FRESHDESK_TICKETS, freshdeskSignIn } from './freshdesk-world.js';
import { startFakeFreshdesk, type FakeFreshdesk } from './fakes/freshdesk.js';
import { TestSocket } from './ws-client.js';

/** An agent restricted to group 20: ticket 2 is theirs, ticket 1 (group 10) is not. */
export const RESTRICTED_AGENT_ID = 43;

export const APP_INDEX = '<!doctype html><html><head><title>Live Assist app</title></head><body><div id="root"></div></body></html>';
export const CUSTOMER_INDEX =
  '<!doctype html><html><head><title>Live Assist call</title></head><body><div id="customer-root"></div></body></html>';

/** The language bundles of the stand-in customer build, as its Vite manifest names them (join-page.ts). */
export const CUSTOMER_LANGUAGE_FILES = { en: 'assets/en-T3st.js', de: 'assets/de-T3st.js', bg: 'assets/bg-T3st.js' } as const;

export type HelpdeskKind = 'fake' | 'sandbox' | 'freshdesk';

export interface HarnessOptions<K extends HelpdeskKind = 'fake'> extends Pick<
  StartOptions,
  | 'heartbeatMs'
  | 'helloTimeoutMs'
  | 'expirySweepMs'
  | 'twilio'
  | 'writeback'
  | 'smsHttpClient'
  | 'port'
  | 'log'
  | 'processMetrics'
  | 'cluster'
> {
  /**
   * `fake` (default): a scriptable Zendesk stand-in on its own port (testing/fakes/zendesk.ts).
   * `sandbox`: the development sandbox, bound to the relay as `npm start` binds it.
   * `freshdesk`: HELPDESK=freshdesk against the Freshdesk stand-in (testing/fakes/freshdesk.ts);
   * agents sign in through the app sign-in with the installation secret.
   */
  helpdesk?: K;
  /** A data dir the caller owns (a restart test reopens it); default: a fresh one, removed on close. */
  dataDir?: string;
}

/** A real relay on loopback (temp SQLite) talking to a Zendesk stand-in, driven over HTTP and WebSocket. */
export interface Harness {
  relay: RunningServer;
  dataDir: string;
  /** Moves the relay's clock forward. */
  advanceClock(ms: number): void;
  /**
   * App load as `agent` (default: the account's unrestricted admin); returns the agent bearer token.
   * Zendesk: the signed-URL load; Freshdesk: the app sign-in, on a ticket the agent may see.
   */
  agentToken(agent?: string | number): Promise<string>;
  /** What points another relay at the same helpdesk account (peer relays). */
  helpdeskEnv: Record<string, string>;
  /** The creating agent holds the seat, so its view always carries the specialist token (default: the first ticket). */
  createSession(agentToken: string, ticketId?: number): Promise<HeldSessionView>;
  api(path: string, init?: RequestInit & { bearer?: string; json?: unknown }): Promise<Response>;
  /** The customer's join (consent given), in `locale` (default de). */
  join(inviteUrl: string, opts?: { participantToken?: string; locale?: string }): Promise<Response>;
  /** Opens a socket and completes hello → welcome. */
  connect(participantToken: string): Promise<TestSocket>;
  wsUrl(token: string): string;
  /** A call to the stand-in's Zendesk API with the relay's credentials. */
  zendesk(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface FakeHarness extends Harness {
  helpdesk: FakeZendesk;
}

export interface FreshdeskHarness extends Harness {
  helpdesk: FakeFreshdesk;
}

export interface SandboxHarness extends Harness {
  /** Switches the sandbox's account rules (file types, a 429 burst); answers what is now in force. */
  strictness(update: { refusedFileTypes?: string[]; rateLimit?: { requests: number; retryAfterSeconds: number } }): Promise<Response>;
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

const FAKE_TICKETS: FakeTicket[] = [
  {
    id: 1,
    subject: 'Pump makes a noise',
    requester: { id: 501, name: 'Carla Customer', email: 'carla@example.com', locale: 'de' },
    group_id: 10,
  },
  { id: 2, subject: 'Second ticket', requester: { id: 502, name: 'Bob', email: 'bob@example.com', locale: 'en-US' }, group_id: 20 },
];

const FAKE_USERS: FakeUser[] = [
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
];

/** The sandbox's seeded ticket used when a test names none. */
const SANDBOX_TICKET = 1201;

/** Stand-ins for the built front-ends, with source maps the relay must not serve. */
function writeFrontEnds(dataDir: string): { appDir: string; customerDir: string } {
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
  mkdirSync(join(customerDir, '.vite'), { recursive: true });
  const manifest = Object.fromEntries(
    Object.entries(CUSTOMER_LANGUAGE_FILES).map(([language, file]) => [`src/i18n/${language}.json`, { file, isDynamicEntry: true }]),
  );
  writeFileSync(
    join(customerDir, '.vite', 'manifest.json'),
    JSON.stringify({ 'index.html': { file: 'assets/customer.js', isEntry: true }, ...manifest }),
  );
  return { appDir, customerDir };
}

async function appLoad(relayUrl: string, token: string): Promise<string> {
  const res = await fetch(`${relayUrl}/app/ticket_sidebar`, { method: 'POST', body: new URLSearchParams({ token }) });
  const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await res.text());
  if (res.status !== 200 || !boot?.[1]) throw new Error(`app load failed: ${res.status}`);
  return (JSON.parse(boot[1]) as { agentToken: string }).agentToken;
}

export function startHarness(env?: Record<string, string>, opts?: HarnessOptions<'fake'>): Promise<FakeHarness>;
export function startHarness(
  env: Record<string, string>,
  opts: HarnessOptions<'sandbox'> & { helpdesk: 'sandbox' },
): Promise<SandboxHarness>;
export function startHarness(
  env: Record<string, string>,
  opts: HarnessOptions<'freshdesk'> & { helpdesk: 'freshdesk' },
): Promise<FreshdeskHarness>;
export async function startHarness(
  env: Record<string, string> = {},
  opts: HarnessOptions<HelpdeskKind> = {},
): Promise<FakeHarness | SandboxHarness | FreshdeskHarness> {
  const { helpdesk: kind = 'fake', dataDir: givenDir, ...startOpts } = opts;
  const dataDir = givenDir ?? mkdtempSync(join(tmpdir(), 'relay-test-'));
  const { appDir, customerDir } = writeFrontEnds(dataDir);
  const fake = kind === 'fake' ? await startFakeZendesk({ tickets: FAKE_TICKETS, users: FAKE_USERS }) : null;
  const freshdesk = kind === 'freshdesk' ? await startFakeFreshdesk({ tickets: FRESHDESK_TICKETS, agents: FRESHDESK_AGENTS }) : null;
  const fakeEnv: Record<string, string> = fake
    ? {
        HELPDESK_URL: fake.config.baseUrl,
        HELPDESK_EMAIL: fake.config.email,
        HELPDESK_API_TOKEN: fake.config.apiToken,
        ZENDESK_APP_ID: String(fake.config.appId),
        ZENDESK_INSTALLATION_ID: String(fake.config.installationId),
      }
    : (freshdesk?.env ?? {});
  const config = loadConfig({ DATA_DIR: dataDir, ZENDESK_APP_DIR: appDir, CUSTOMER_WEB_DIR: customerDir, ...fakeEnv, ...env });
  const sandbox = kind === 'sandbox' ? sandboxForRelay({ dataDir }) : null;
  let offset = 0;
  const relay = await startServer(config, {
    port: 0,
    log: process.env.RELAY_TEST_DEBUG ? consoleLogger : silentLogger,
    processMetrics: false,
    now: () => Date.now() + offset,
    ...(sandbox ? { host: sandbox.host, helpdesk: sandbox.bind } : {}),
    ...startOpts,
  });
  const authorization = fake
    ? `Basic ${Buffer.from(`${fake.email}/token:${fake.apiToken}`).toString('base64')}`
    : freshdesk
      ? `Basic ${Buffer.from(`${freshdesk.config.apiKey}:X`).toString('base64')}`
      : sandbox!.authorization();
  const zendeskUrl = fake?.url ?? freshdesk?.url ?? relay.url;

  const api: Harness['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${relay.url}${path}`, { ...init, headers, body });
  };

  /** The sandbox signs a load as its ticket page does: for the agent signed in there, or the one named. */
  const sandboxToken = async (agent: string | number | undefined): Promise<string> => {
    const page = await fetch(`${relay.url}/sandbox/tickets/${SANDBOX_TICKET}`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await fetch(`${relay.url}/sandbox/api/app-token`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ location: 'ticket_sidebar', ticketId: SANDBOX_TICKET, ...(agent ? { agentId: Number(agent) } : {}) }),
    });
    if (res.status !== 200) throw new Error(`sandbox app-token: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };

  const harness: Harness = {
    relay,
    dataDir,
    helpdeskEnv: fakeEnv,
    api,
    advanceClock(ms) {
      offset += ms;
    },
    async agentToken(agent) {
      if (freshdesk) return freshdeskSignIn(relay.url, freshdesk, agent);
      const token = fake ? await fake.sign(agent === undefined ? {} : { sub: String(agent) }) : await sandboxToken(agent);
      return appLoad(relay.url, token);
    },
    async createSession(agentToken, ticketId = fake || freshdesk ? FAKE_TICKETS[0]!.id : SANDBOX_TICKET) {
      const res = await api('/api/sessions', { method: 'POST', bearer: agentToken, json: { ticketId } });
      if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
      return held((await res.json()) as SessionView);
    },
    join(inviteUrl, { participantToken, locale = 'de' } = {}) {
      return api(`/api/invites/${inviteTokenOf(inviteUrl)}/join`, {
        method: 'POST',
        json: {
          acceptedPolicy: true,
          policyVersion: '2024-01',
          locale,
          consentText: locale.startsWith('de') ? 'Ich akzeptiere die Datenschutzerklärung' : 'I accept the privacy policy',
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
    zendesk: (path, init = {}) => fetch(`${zendeskUrl}${path}`, { ...init, headers: { Authorization: authorization, ...init.headers } }),
    async close() {
      await relay.close();
      await fake?.close();
      await freshdesk?.close();
      if (givenDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (fake) return { ...harness, helpdesk: fake };
  if (freshdesk) return { ...harness, helpdesk: freshdesk };
  return {
    ...harness,
    strictness: (update) =>
      fetch(`${relay.url}/sandbox/api/strictness`, {
        method: 'PUT',
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify(update),
      }),
  };
}

/** Joins as the customer (see Harness.join); throws unless the relay accepts. */
export async function joinedCustomer(h: Harness, view: SessionView, locale?: string): Promise<JoinResponse> {
  const res = await h.join(view.inviteUrl, locale === undefined ? {} : { locale });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as JoinResponse;
}

/** A comment as Zendesk's List Comments returns it. */
export interface ZendeskComment {
  id: number;
  public: boolean;
  body: string;
  html_body: string;
  plain_body: string;
  attachments: { file_name: string; content_type: string; size: number; content_url: string }[];
}

export async function ticketComments(h: Harness, ticketId: number): Promise<ZendeskComment[]> {
  const res = await h.zendesk(`/api/v2/tickets/${ticketId}/comments.json?per_page=100`);
  if (res.status !== 200) throw new Error(`comments.json answered ${res.status}`);
  return ((await res.json()) as { comments: ZendeskComment[] }).comments;
}

/** Polls `probe` until it answers something truthy; the timeout is a backstop, not a wait. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
