import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshdeskSandboxForRelay, sandboxForRelay } from '@live-assist/sandbox';
import { loadConfig, startServer, type StartOptions } from '../../relay/src/index.js';
import { testDatabase } from '../../relay/src/testing/db.js';
import { freePort } from './ports.js';

export interface RunningProduct {
  url: string;
  dataDir: string;
  /**
   * The sandbox's REST credentials (Basic auth), as an API client would use them: Zendesk's, or
   * with `HELPDESK: 'freshdesk'` the Freshdesk sandbox's (`apiKey:X`).
   */
  helpdeskAuthorization: string;
  close(): Promise<void>;
}

/**
 * The whole product as `npm start` runs it (the relay with the sandbox bound as its helpdesk, as
 * sandbox/src/server/dev-main.ts binds it), on a free port with its own data dir. With
 * `HELPDESK: 'freshdesk'` in `env` that is the Freshdesk sandbox (`/sandbox/freshdesk/tickets/<id>`).
 * `opts` reaches startServer (e.g. `twilio.httpClient` aims Twilio REST calls at a local stand-in).
 * `engine: 'postgres'` runs it as production does, with `DATABASE_URL` (a fresh schema of its own).
 */
export async function startProduct(
  env: Record<string, string> = {},
  opts: StartOptions = {},
  engine: 'sqlite' | 'postgres' = 'sqlite',
): Promise<RunningProduct> {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-assist-e2e-'));
  const database = engine === 'postgres' ? await testDatabase('postgres') : null;
  const databaseUrl =
    database?.target.engine === 'postgres'
      ? { DATABASE_URL: `${database.target.url}?options=${encodeURIComponent(`-c search_path=${database.target.schema}`)}` }
      : {};
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ...databaseUrl, ...env });
  const sandbox = config.helpdeskKind === 'freshdesk' ? freshdeskSandboxForRelay({ dataDir }) : sandboxForRelay({ dataDir });
  const server = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind, ...opts });
  return {
    url: server.url,
    dataDir,
    helpdeskAuthorization: sandbox.authorization(),
    async close() {
      await server.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The product listening on `host` only (not loopback), with PUBLIC_URL `http://<host>:<port>`: invite
 * links, the console's relay URL and upload links then name an address a phone in another network
 * namespace can reach (a shaped link's `hostIp`, shaped-link.ts). The relay must know its public URL
 * before it listens, hence a port chosen up front. Browsers treat that origin as insecure (no
 * camera) unless launched with `secureOriginFlag(product.url)` (browser.ts).
 */
export async function startProductAt(
  host: string,
  env: Record<string, string> = {},
  opts: StartOptions = {},
  engine: 'sqlite' | 'postgres' = 'sqlite',
): Promise<RunningProduct> {
  const port = await freePort();
  return startProduct({ ...env, PORT: String(port), PUBLIC_URL: `http://${host}:${port}` }, { ...opts, host }, engine);
}
