import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../relay/src/db/database.js';
import { databaseUrl, testDatabase, type TestDatabase } from '../../relay/src/testing/db.js';
import { metricSample } from '../../relay/src/testing/metrics.js';
import { startTestRedis, type TestRedis } from '../../relay/src/testing/redis.js';
import { startRelayChild, type RelayChild } from '../../relay/src/testing/relay-process.js';
import { freePort } from './ports.js';

/**
 * Several production relays (relay/src/main.ts), each a process of its own so a test can SIGKILL
 * one, configured as docs/deploy.md says relays behind one load balancer are: the same
 * RELAY_SECRET, one PostgreSQL (a fresh schema), one Redis (a redis-server of the test's own),
 * the same helpdesk and PUBLIC_URL; each with its own port and data folder.
 */

export interface ClusterRelay {
  /** As HAProxy names it (`relay-a`). */
  readonly name: string;
  /** The relay itself, bypassing the balancer: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** False once it exited (killed). */
  readonly running: boolean;
  /** Its log lines so far (JSON, one per line), for a failure message. */
  log(): string;
  /** `GET /metrics` on the relay itself (loopback: no token needed). */
  metrics(): Promise<string>;
  /** A gauge or counter of `/metrics` now; null when the relay does not report it. */
  metric(name: string, labels?: string): Promise<number | null>;
  /** SIGKILL: no goodbye to sockets, no lease handed back, as when its machine dies. */
  kill(): Promise<void>;
}

export interface RelayCluster {
  readonly relays: readonly ClusterRelay[];
  relay(name: string): ClusterRelay;
  close(): Promise<void>;
}

export interface RelayClusterOptions {
  names: readonly string[];
  /** Set on every relay (PUBLIC_URL, the helpdesk's variables, …). */
  env: Record<string, string>;
}

async function startOne(name: string, env: Record<string, string>): Promise<ClusterRelay & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const port = await freePort();
  let child: RelayChild;
  try {
    child = await startRelayChild({ ...env, PORT: String(port), DATA_DIR: dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${name} did not start`, { cause: error });
  }
  let running = true;
  void child.exited.then(() => (running = false));
  const url = `http://127.0.0.1:${port}`;
  const metrics = async () => {
    const res = await fetch(`${url}/metrics`);
    if (res.status !== 200) throw new Error(`${name} /metrics: HTTP ${res.status}`);
    return res.text();
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (!running) return;
    child.child.kill(signal);
    await child.exited;
  };
  return {
    name,
    url,
    port,
    get running() {
      return running;
    },
    log: () => child.stdout() + child.stderr(),
    metrics,
    metric: async (metric, labels) => metricSample(await metrics(), metric, labels),
    kill: () => kill('SIGKILL'),
    async stop() {
      // SIGTERM (sockets closed, leases handed back), then SIGKILL if it does not finish.
      const timer = setTimeout(() => child.child.kill('SIGKILL'), 20_000);
      await kill('SIGTERM');
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startRelayCluster({ names, env }: RelayClusterOptions): Promise<RelayCluster> {
  const database: TestDatabase = await testDatabase(Engine.postgres);
  let redis: TestRedis | undefined;
  const started: Awaited<ReturnType<typeof startOne>>[] = [];
  const close = async () => {
    await Promise.all(started.map((r) => r.stop()));
    await redis?.stop();
    await database.drop();
  };
  try {
    redis = await startTestRedis();
    const shared = {
      ...env,
      DATABASE_URL: databaseUrl(database.target)!,
      REDIS_URL: redis.url,
      RELAY_SECRET: randomBytes(32).toString('base64url'),
    };
    // One after the other: the first creates the schema, the next finds it migrated.
    for (const name of names) started.push(await startOne(name, shared));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    relays: started,
    relay(name) {
      const found = started.find((r) => r.name === name);
      if (!found) throw new Error(`no relay ${name}`);
      return found;
    },
    close,
  };
}
