import { join, resolve } from 'node:path';
import type { RequestHandler } from 'express';
import { createSandbox, type Sandbox } from './sandbox.js';

/** Where the relay listens, as its startServer reports it to a helpdesk binding. */
export interface RelayListening {
  url: string;
  port: number;
  host: string | undefined;
}

/** What the relay's startServer takes as its `helpdesk` (its HelpdeskBinding). */
export interface SandboxBinding {
  config: Sandbox['helpdesk'];
  apiBaseUrl: string;
  routers: RequestHandler[];
  close(): void;
}

export interface RelaySandbox {
  /** The relay's listen address: the sandbox hands out agent sign-ins to whoever opens it. */
  host: string;
  /** startServer's `helpdesk` option: creates the sandbox once the relay's public URL is known. */
  bind(listening: RelayListening): Promise<SandboxBinding>;
  /** Basic authorization for the sandbox's Zendesk API once bound, as an API client would send it. */
  authorization(): string;
}

/**
 * The sandbox answers only requests addressed to a loopback name or the public URL's host, so a
 * page on another site cannot reach it through DNS rebinding.
 */
export function hostGuard(publicUrl: string): RequestHandler {
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]', new URL(publicUrl).hostname]);
  return (req, res, next) => {
    if (!req.path.startsWith('/sandbox') && !req.path.startsWith('/api/v2')) return next();
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (allowed.has(hostname)) return next();
    res.status(403).type('text/plain').send('The sandbox answers on localhost only.\n');
  };
}

export function loopbackHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The sandbox as the relay's helpdesk, served by the relay's own server: its database sits in the
 * relay's data folder, and the relay reaches its REST API on loopback whatever the public URL is.
 */
export function sandboxForRelay(opts: { dataDir: string; host?: string }): RelaySandbox {
  let credentials: { email: string; apiToken: string } | null = null;
  return {
    host: opts.host ?? '127.0.0.1',
    async bind({ url, port, host }) {
      const sandbox = await createSandbox({ dbPath: join(resolve(opts.dataDir), 'sandbox.sqlite'), publicUrl: url, appUrl: `${url}/app` });
      credentials = { email: sandbox.helpdesk.email, apiToken: sandbox.helpdesk.apiToken };
      return {
        config: sandbox.helpdesk,
        apiBaseUrl: `http://${loopbackHost(host)}:${port}`,
        routers: [hostGuard(url), sandbox.router],
        close: () => sandbox.close(),
      };
    },
    authorization() {
      if (!credentials) throw new Error('the sandbox is not bound to a relay yet');
      return `Basic ${Buffer.from(`${credentials.email}/token:${credentials.apiToken}`).toString('base64')}`;
    },
  };
}
