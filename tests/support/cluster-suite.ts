import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startHaproxy, type RunningHaproxy } from './haproxy.js';
import { freePort } from './ports.js';
import { startRelayCluster, type RelayCluster } from './relay-cluster.js';
import { startSandboxHelpdesk, type SandboxHelpdesk } from './sandbox-helpdesk.js';

/**
 * Production as docs/deploy.md runs it with two relays, for a test file: the relays (processes of
 * their own on one PostgreSQL and one Redis) behind HAProxy, the sandbox as the Zendesk account, the
 * agent's browser and the customer's phone.
 *
 * Both browsers open the same PUBLIC_URL, `http://assist.localhost:<port>`, but each reaches it
 * through a frontend of its own: the agent's browser resolves the name to 127.0.0.2, where the
 * "desk" frontend prefers relay A; the phone's to 127.0.0.3, where the "phone" frontend prefers
 * relay B. So the console and the customer land on different relays, every run, with the relays
 * configured alike and the invite link as the relay wrote it. Each relay is the other's backup.
 * (`*.localhost` is a secure context to Chromium, as camera access needs. Linux answers on all of
 * 127.0.0.0/8; macOS needs `sudo ifconfig lo0 alias 127.0.0.2` and `127.0.0.3` first.)
 */
export interface ClusterSuite {
  readonly helpdesk: SandboxHelpdesk;
  readonly cluster: RelayCluster;
  readonly haproxy: RunningHaproxy;
  /** `http://assist.localhost:<port>`: PUBLIC_URL of every relay. */
  readonly publicUrl: string;
  /** The agent's desktop browser: reaches PUBLIC_URL through the desk frontend. */
  readonly browser: Browser;
  /** The customer's phone: reaches PUBLIC_URL through the phone frontend. */
  readonly phoneBrowser: Browser;
}

export const PUBLIC_HOST = 'assist.localhost';
/** Where each frontend listens, on PUBLIC_URL's port. */
export const DESK_IP = '127.0.0.2';
export const PHONE_IP = '127.0.0.3';
export const RELAY_A = 'relay-a';
export const RELAY_B = 'relay-b';

const resolveTo = (ip: string) => `--host-resolver-rules=MAP ${PUBLIC_HOST} ${ip}`;

export function relaysBehindHaproxy(opts: { env?: Record<string, string> } = {}): ClusterSuite {
  let world: ClusterSuite | undefined;
  const parts: Partial<Record<keyof ClusterSuite, { close(): Promise<void> }>> = {};
  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://${PUBLIC_HOST}:${port}`;
    const helpdesk = (parts.helpdesk = await startSandboxHelpdesk(publicUrl));
    const cluster = (parts.cluster = await startRelayCluster({
      names: [RELAY_A, RELAY_B],
      env: { PUBLIC_URL: publicUrl, ...helpdesk.env, ...opts.env },
    }));
    const [a, b] = [cluster.relay(RELAY_A), cluster.relay(RELAY_B)];
    const haproxy = (parts.haproxy = await startHaproxy([
      {
        name: 'desk',
        bind: `${DESK_IP}:${port}`,
        servers: [
          { name: a.name, address: `127.0.0.1:${a.port}` },
          { name: b.name, address: `127.0.0.1:${b.port}`, backup: true },
        ],
      },
      {
        name: 'phone',
        bind: `${PHONE_IP}:${port}`,
        servers: [
          { name: b.name, address: `127.0.0.1:${b.port}` },
          { name: a.name, address: `127.0.0.1:${a.port}`, backup: true },
        ],
      },
    ]));
    const [browser, phoneBrowser] = await Promise.all([launchBrowser([resolveTo(DESK_IP)]), launchBrowser([resolveTo(PHONE_IP)])]);
    parts.browser = browser;
    parts.phoneBrowser = phoneBrowser;
    world = { helpdesk, cluster, haproxy, publicUrl, browser, phoneBrowser };
  });
  afterAll(async () => {
    await Promise.all([parts.browser?.close(), parts.phoneBrowser?.close()]);
    await parts.haproxy?.close();
    await parts.cluster?.close();
    await parts.helpdesk?.close();
  });
  const started = (): ClusterSuite => {
    if (!world) throw new Error('the relays are used before beforeAll started them');
    return world;
  };
  return {
    get helpdesk() {
      return started().helpdesk;
    },
    get cluster() {
      return started().cluster;
    },
    get haproxy() {
      return started().haproxy;
    },
    get publicUrl() {
      return started().publicUrl;
    },
    get browser() {
      return started().browser;
    },
    get phoneBrowser() {
      return started().phoneBrowser;
    },
  };
}
