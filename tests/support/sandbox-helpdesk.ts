import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { createSandbox, type Sandbox } from '@live-assist/sandbox';

/**
 * The sandbox as a Zendesk account of its own, on its own origin, for several relays at once:
 * every relay is configured with it (`env`) as production relays are with Zendesk, and the agent's
 * ticket pages frame the app from `relayUrl`, the relays' public URL, as Zendesk frames it from
 * the installation's setting.
 */
export interface SandboxHelpdesk {
  /** `http://127.0.0.1:<port>`: the agent workspace (`/sandbox/tickets/<id>`) and the REST API. */
  url: string;
  /** HELPDESK_URL, HELPDESK_EMAIL, HELPDESK_API_TOKEN, ZENDESK_APP_ID, ZENDESK_INSTALLATION_ID. */
  env: Record<string, string>;
  /** Comments of a ticket as any Zendesk API client reads them. */
  comments(ticketId: number): Promise<TicketComment[]>;
  close(): Promise<void>;
}

export interface TicketComment {
  public: boolean;
  html_body: string;
  plain_body: string;
  attachments: { file_name: string; content_type: string; size: number }[];
}

export async function startSandboxHelpdesk(relayUrl: string): Promise<SandboxHelpdesk> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-helpdesk-'));
  const app = express();
  // Its own URL is in what it serves, and known once it listens: the router comes after.
  const mounted: { router?: Router } = {};
  app.use((req, res, next) => (mounted.router ? mounted.router(req, res, next) : next()));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let sandbox: Sandbox;
  try {
    sandbox = await createSandbox({ dbPath: join(dir, 'sandbox.sqlite'), publicUrl: url, appUrl: `${relayUrl}/app`, relayUrl });
  } catch (error) {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  mounted.router = sandbox.router;
  const { helpdesk } = sandbox;
  const authorization = `Basic ${Buffer.from(`${helpdesk.email}/token:${helpdesk.apiToken}`).toString('base64')}`;
  return {
    url,
    env: {
      HELPDESK_URL: helpdesk.baseUrl,
      HELPDESK_EMAIL: helpdesk.email,
      HELPDESK_API_TOKEN: helpdesk.apiToken,
      ZENDESK_APP_ID: String(helpdesk.appId),
      ZENDESK_INSTALLATION_ID: String(helpdesk.installationId),
    },
    async comments(ticketId) {
      const res = await fetch(`${url}/api/v2/tickets/${ticketId}/comments.json?per_page=100`, {
        headers: { Authorization: authorization },
      });
      if (res.status !== 200) throw new Error(`comments of ticket ${ticketId}: HTTP ${res.status}`);
      return ((await res.json()) as { comments: TicketComment[] }).comments;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
