import { randomBytes } from 'node:crypto';
import type { JoinResponse, SessionView } from '@live-assist/protocol';
import { Engine } from '../../relay/src/db/database.js';
import { databaseUrl, testDatabase, type TestDatabase } from '../../relay/src/testing/db.js';
import { startFakeZendesk, type FakeZendesk } from '../../relay/src/testing/fakes/zendesk.js';
import { startRelayProcess, type RelayProcess } from '../relay-process.js';
import type { SessionEndpoints } from './messages.js';

export const Topology = {
  /** One relay, its rooms in memory: both sides of every session on it. */
  one: 'one',
  /** Two relays sharing PostgreSQL and Redis: the specialist on A, the customer on B. */
  two: 'two',
} as const;
export type Topology = (typeof Topology)[keyof typeof Topology];

export const Storage = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type Storage = (typeof Storage)[keyof typeof Storage];

export interface Relay {
  name: string;
  url: string;
  pid: number;
}

/** Relays with sessions created and joined through their HTTP API, ready for sockets. */
export interface Rig {
  topology: Topology;
  storage: Storage;
  relays: Relay[];
  sessions: SessionEndpoints[];
  /** Creating the sessions and joining their customers (HTTP), not counting the relays' start. */
  setupMs: number;
  close(): Promise<void>;
}

export interface RigOptions {
  topology: Topology;
  sessions: number;
  helpdesk: FakeZendesk;
  /** One relay only; two relays always share PostgreSQL. */
  storage?: Storage;
  /** Two relays: the Redis they share rooms through. */
  redisUrl?: string;
  /** Sessions being created at once. */
  concurrency?: number;
}

/**
 * The Zendesk stand-in every relay of the bench asks (relay/src/testing/fakes): one ticket per
 * session, since starting a session ends the ticket's previous one.
 */
export function startHelpdesk(tickets: number): Promise<FakeZendesk> {
  return startFakeZendesk({ tickets: Array.from({ length: tickets }, (_, i) => i + 1) });
}

function helpdeskEnv(helpdesk: FakeZendesk): Record<string, string> {
  return {
    HELPDESK_URL: helpdesk.config.baseUrl,
    HELPDESK_EMAIL: helpdesk.config.email,
    HELPDESK_API_TOKEN: helpdesk.config.apiToken,
    ZENDESK_APP_ID: String(helpdesk.config.appId),
    ZENDESK_INSTALLATION_ID: String(helpdesk.config.installationId),
  };
}

const inviteTokenOf = (inviteUrl: string) => inviteUrl.slice(inviteUrl.lastIndexOf('/') + 1);

/** Loopback by address: a name would cost a lookup per socket of the generator. */
const base = (relay: RelayProcess) => relay.url.replace('//localhost:', '//127.0.0.1:');
const wsUrl = (relay: RelayProcess, token: string) => `${base(relay).replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;

async function api<T>(relay: RelayProcess, path: string, init: { bearer?: string; json?: unknown; status: number }): Promise<T> {
  const res = await fetch(`${base(relay)}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(init.bearer ? { Authorization: `Bearer ${init.bearer}` } : {}) },
    body: JSON.stringify(init.json ?? {}),
  });
  if (res.status !== init.status) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The signed-URL app load Zendesk does when the agent opens a ticket: answers the agent's bearer token. */
async function agentToken(relay: RelayProcess, helpdesk: FakeZendesk): Promise<string> {
  const res = await fetch(`${base(relay)}/app/ticket_sidebar`, {
    method: 'POST',
    body: new URLSearchParams({ token: await helpdesk.sign() }),
  });
  const boot = /<script id="live-assist-boot" type="application\/json">(.*?)<\/script>/.exec(await res.text());
  if (res.status !== 200 || !boot?.[1]) throw new Error(`app load failed: ${res.status}`);
  return (JSON.parse(boot[1]) as { agentToken: string }).agentToken;
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return out;
}

/**
 * Starts the relays of `topology` (`npm start`'s entry point with the fake Zendesk as helpdesk) on
 * a fresh database, then creates the sessions as the product does: the agent's app load, `POST
 * /api/sessions` on relay A, the customer's consent (`POST /api/invites/:token/join`) on the relay
 * the customer uses (B when there are two).
 */
export async function startRig(opts: RigOptions): Promise<Rig> {
  const storage = opts.topology === Topology.two ? Storage.postgres : (opts.storage ?? Storage.sqlite);
  let db: TestDatabase | null = null;
  const relays: RelayProcess[] = [];
  const close = async () => {
    await Promise.all(relays.map((r) => r.close()));
    await db?.drop();
  };
  try {
    if (storage === Storage.postgres) db = await testDatabase(Engine.postgres);
    const env: Record<string, string> = {
      ...helpdeskEnv(opts.helpdesk),
      // Tokens one relay signs, the other must accept.
      RELAY_SECRET: randomBytes(32).toString('hex'),
      // Blank means unset: the one-relay figure keeps its rooms in memory whatever the shell exports.
      DATABASE_URL: db ? databaseUrl(db.target)! : '',
      REDIS_URL: opts.topology === Topology.two ? (opts.redisUrl ?? '') : '',
    };
    // One after the other: the first migrates the fresh schema, the second finds it done.
    relays.push(await startRelayProcess(env));
    if (opts.topology === Topology.two) relays.push(await startRelayProcess(env));
    const a = relays[0]!;
    const b = relays[relays.length - 1]!;

    const started = performance.now();
    const bearer = await agentToken(a, opts.helpdesk);
    const sessions = await pool(opts.sessions, opts.concurrency ?? 8, async (i) => {
      const view = await api<SessionView>(a, '/api/sessions', { bearer, json: { ticketId: i + 1 }, status: 201 });
      const joined = await api<JoinResponse>(b, `/api/invites/${inviteTokenOf(view.inviteUrl)}/join`, {
        status: 200,
        json: { acceptedPolicy: true, policyVersion: '2024-01', locale: 'en-US', consentText: 'I accept the privacy policy' },
      });
      if (!view.specialistToken) throw new Error(`session ${view.sessionId}: the creating agent holds no seat`);
      return { specialistUrl: wsUrl(a, view.specialistToken), customerUrl: wsUrl(b, joined.participantToken) };
    });
    return {
      topology: opts.topology,
      storage,
      relays: relays.map((r, i) => ({
        name: relays.length === 1 ? 'relay' : `relay ${'AB'[i]}`,
        url: r.url,
        pid: r.pid,
      })),
      sessions,
      setupMs: performance.now() - started,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
