import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '@live-assist/protocol';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer, type StartOptions } from '../server.js';
import type { EngineHarness } from './engine-harness.js';
import type { Harness } from './harness.js';
import { TestSocket } from './ws-client.js';

const childScript = fileURLToPath(new URL('./relay-child.ts', import.meta.url));

/** Relays behind one load balancer share the secret their tokens and links are derived with. */
export const SHARED_RELAY_SECRET = 'relays-behind-one-balancer-share-this-secret-0123456789';

type PeerOptions = Pick<StartOptions, 'writeback' | 'cluster'>;

/** Another relay's environment: the same database, secret and helpdesk account as `a`, its own DATA_DIR. */
function peerEnv(a: EngineHarness<Harness>, dataDir: string, env: Record<string, string>): Record<string, string> {
  return {
    ...a.databaseEnv,
    RELAY_SECRET: SHARED_RELAY_SECRET,
    DATA_DIR: dataDir,
    ZENDESK_APP_DIR: join(a.h.dataDir, 'app-dist'),
    CUSTOMER_WEB_DIR: join(a.h.dataDir, 'customer-dist'),
    ...a.h.helpdeskEnv,
    ...env,
  };
}

/** A relay next to `a` (started with RELAY_SECRET = SHARED_RELAY_SECRET): what a test drives on it. */
export interface PeerRelay {
  url: string;
  /** Opens a socket and completes hello → welcome. */
  connect(participantToken: string): Promise<TestSocket>;
  close(): Promise<void>;
}

function peer(url: string, close: () => Promise<void>): PeerRelay {
  return {
    url,
    async connect(token) {
      const socket = await TestSocket.open(`${url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
      socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
      await socket.next('welcome');
      return socket;
    },
    close,
  };
}

/** The second relay in this process (a test that never kills it). */
export async function startPeerRelay(
  a: EngineHarness<Harness>,
  env: Record<string, string> = {},
  // In this process, so it can also take what a child could not be sent (Twilio stand-ins' clients).
  opts: PeerOptions & Pick<StartOptions, 'twilio' | 'smsHttpClient'> = {},
): Promise<PeerRelay & { relay: RunningServer }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-peer-'));
  const relay = await startServer(loadConfig(peerEnv(a, dataDir, env)), { port: 0, log: silentLogger, processMetrics: false, ...opts });
  return {
    relay,
    ...peer(relay.url, async () => {
      await relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    }),
  };
}

/** The second relay in a process of its own, for a test that kills it with SIGKILL. */
export async function spawnPeerRelay(
  a: EngineHarness<Harness>,
  env: Record<string, string> = {},
  opts: PeerOptions = {},
): Promise<PeerRelay & { child: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-peer-'));
  // Node with tsx's loader, not the tsx CLI, so a SIGKILL reaches the relay itself.
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify({ env: peerEnv(a, dataDir, env), ...opts })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the peer relay exited (${code}) before listening: ${err}`)));
  });
  return {
    child,
    ...peer(url, async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    }),
  };
}
