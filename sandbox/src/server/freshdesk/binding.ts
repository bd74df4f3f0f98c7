import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import { hostGuard, loopbackHost, type RelayListening } from '../relay-binding.js';
import { repoFreshdeskApp } from './host-page.js';
import { SEEDED_INSTALLATION_SETTINGS, createFreshdeskSandbox, type FreshdeskSandboxHelpdesk } from './sandbox.js';

/** The repository's freshdesk-app/ (plain files: the sandbox serves its app/ folder as Freshworks would). */
const REPO_APP_DIR = fileURLToPath(new URL('../../../../freshdesk-app', import.meta.url));

export interface FreshdeskSandboxBinding {
  config: FreshdeskSandboxHelpdesk;
  apiBaseUrl: string;
  routers: RequestHandler[];
  close(): void;
}

export interface RelayFreshdeskSandbox {
  host: string;
  /** startServer's `helpdesk` option: the relay's Freshdesk is the sandbox, reached on loopback. */
  bind(listening: RelayListening): Promise<FreshdeskSandboxBinding>;
  /** Basic `apiKey:X` of the sandbox's REST API once bound, as an API client would send it. */
  authorization(): string;
  /** The account as the relay is configured with it (API key, app secret), once bound. */
  helpdesk(): FreshdeskSandboxHelpdesk;
}

/** The Freshdesk sandbox as the relay's helpdesk, served by the relay's own server (npm start with HELPDESK=freshdesk). */
export function freshdeskSandboxForRelay(opts: {
  dataDir: string;
  host?: string;
  appDir?: string;
  /** The relay's nameplate field mapping (default: the sandbox's, see createFreshdeskSandbox). */
  nameplateFields?: FreshdeskSandboxHelpdesk['nameplateFields'];
  /** The app installation's settings (iparams) its request templates render (default: SEEDED_INSTALLATION_SETTINGS). */
  installationSettings?: Readonly<Record<string, string>>;
}): RelayFreshdeskSandbox {
  let bound: FreshdeskSandboxHelpdesk | null = null;
  const helpdesk = (): FreshdeskSandboxHelpdesk => {
    if (bound === null) throw new Error('the Freshdesk sandbox is not bound to a relay yet');
    return bound;
  };
  return {
    host: opts.host ?? '127.0.0.1',
    bind({ url, port, host }) {
      const relayOrigin = `http://${loopbackHost(host)}:${port}`;
      const app = repoFreshdeskApp(
        opts.appDir ?? REPO_APP_DIR,
        url,
        relayOrigin,
        opts.installationSettings ?? SEEDED_INSTALLATION_SETTINGS,
      );
      const sandbox = createFreshdeskSandbox({
        dbPath: join(resolve(opts.dataDir), 'freshdesk-sandbox.sqlite'),
        publicUrl: url,
        ...(app ? { app } : {}),
        ...(opts.nameplateFields ? { nameplateFields: opts.nameplateFields } : {}),
      });
      bound = sandbox.helpdesk;
      return Promise.resolve({
        config: sandbox.helpdesk,
        apiBaseUrl: relayOrigin,
        routers: [hostGuard(url), sandbox.router],
        close: () => sandbox.close(),
      });
    },
    authorization: () => `Basic ${Buffer.from(`${helpdesk().apiKey}:X`).toString('base64')}`,
    helpdesk,
  };
}
