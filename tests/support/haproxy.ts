import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * HAProxy in front of several relays, as docs/deploy.md runs it, for tests that kill a relay: the
 * binary runs in the foreground as a child of the test, with a configuration written for it.
 */

export const HAPROXY_PATH = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

export interface BackendServer {
  /** HAProxy's name for it; answers through the balancer name it in `X-Served-By`. */
  name: string;
  /** `host:port` of the relay itself. */
  address: string;
  /** Only used while no other server of the backend is up. */
  backup?: boolean;
}

export interface Frontend {
  /** Names the frontend and its backend. */
  name: string;
  /** `ip:port` to listen on (any 127.x.y.z is this machine). */
  bind: string;
  /** In order of preference: the first non-backup server takes everything while it is up. */
  servers: BackendServer[];
}

/** How quickly HAProxy gives up on a dead relay: `inter` between checks, `fall` failed checks. */
export const HEALTH_CHECK = { path: '/healthz', interMs: 300, fall: 2, rise: 1 } as const;

/**
 * The configuration for `frontends`: each a listener with a backend of its own, health-checked on
 * `/healthz`. An upgraded WebSocket is a tunnel that may stay open for the whole test.
 */
export function haproxyConfig(frontends: readonly Frontend[]): string {
  const lines = [
    'global',
    '    maxconn 1000',
    // Every request with its timers and retries, and every server going down or up, on stderr.
    '    log stderr format raw local0 info',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    timeout connect 1s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout http-request 10s',
    '    timeout tunnel 1h',
    '    timeout client-fin 5s',
    // A request that cannot reach its server is retried (a second apart) up to three times, each
    // time through the balancing again, so the retry after a relay died finds the other one.
    '    option redispatch 1',
    '    retries 3',
    `    option httpchk GET ${HEALTH_CHECK.path}`,
    // A check fails at once when the relay is gone (connection refused); a busy relay answering
    // slowly is still up. Unset, a check may take no longer than `inter`.
    '    timeout check 2s',
    `    default-server inter ${HEALTH_CHECK.interMs}ms fall ${HEALTH_CHECK.fall} rise ${HEALTH_CHECK.rise}`,
  ];
  for (const frontend of frontends) {
    lines.push(
      '',
      `frontend ${frontend.name}`,
      `    bind ${frontend.bind}`,
      // Which relay answered: a test can see the balancer move from one relay to the other.
      '    http-response set-header X-Served-By %[srv_name]',
      `    default_backend ${frontend.name}-relays`,
      '',
      `backend ${frontend.name}-relays`,
      ...frontend.servers.map((s) => `    server ${s.name} ${s.address} check${s.backup ? ' backup' : ''}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface RunningHaproxy {
  /** `http://<bind>` of each frontend, by name. */
  urls: Record<string, string>;
  /** The configuration it runs with (for a failure message, or to copy into docs). */
  config: string;
  /** What HAProxy wrote to stderr so far (server state changes, alerts). */
  stderr(): string;
  /** Which server answers `GET <path>` through a frontend now (its `X-Served-By`); null: none did. */
  servedBy(frontend: string, path?: string): Promise<string | null>;
  close(): Promise<void>;
}

/** GET through the balancer with node:http: status and `X-Served-By`, or null when nothing answered. */
function probe(url: string): Promise<{ status: number; server: string | null } | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 5_000, agent: false }, (res) => {
      res.resume();
      const server = res.headers['x-served-by'];
      resolve({ status: res.statusCode ?? 0, server: typeof server === 'string' ? server : null });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/**
 * Starts HAProxy with the configuration for `frontends` and resolves once every frontend passes
 * a request through to a relay (so the relays must be listening already).
 */
export async function startHaproxy(frontends: readonly Frontend[], timeoutMs = 30_000): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const config = haproxyConfig(frontends);
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  // -db: foreground, no daemon; the test owns the process and ends it.
  const child: ChildProcess = spawn(HAPROXY_PATH, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (err += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // A binary that is not there never starts, so there is no exit: the error ends it instead.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => {
      err += `\n${e.message} (HAPROXY_PATH=${HAPROXY_PATH})`;
      resolve();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));

  const urls = Object.fromEntries(frontends.map((f) => [f.name, `http://${f.bind}`]));
  const running: RunningHaproxy = {
    urls,
    config,
    stderr: () => err,
    async servedBy(frontend, path = HEALTH_CHECK.path) {
      const url = urls[frontend];
      if (!url) throw new Error(`no frontend ${frontend}`);
      const answer = await probe(`${url}${path}`);
      return answer && answer.status < 500 ? answer.server : null;
    },
    async close() {
      if (!gone) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`haproxy exited before serving:\n${err}\nconfiguration:\n${config}`);
    }
    const answers = await Promise.all(frontends.map((f) => running.servedBy(f.name)));
    if (answers.every((server) => server !== null)) return running;
    if (Date.now() > deadline) {
      await running.close();
      throw new Error(`haproxy did not pass requests to the relays within ${timeoutMs} ms:\n${err}\nconfiguration:\n${config}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
