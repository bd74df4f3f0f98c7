import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { requireAuth, type AuthConfig } from './auth.js';
import type { z } from 'zod';
import { openDb, persistentSetting } from './db.js';
import { installManifest, readRepoManifest } from './installation.js';
import { loadSigningKeys } from './keys.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { AGENT_ID } from './seed.js';
import { Serializer } from './serializers.js';
import { Store } from './store.js';
import { applyStrictness, newStrictness, strictnessRoutes, type strictnessUpdate } from './strictness.js';
import { SANDBOX_TICKET_FIELDS, TicketFields } from './ticket-fields.js';
import { zendeskApi } from './zendesk-api.js';

export interface SandboxOptions {
  dbPath: string;
  publicUrl: string;
  /** `${publicUrl}/app`: where the app's signed-URL locations are POSTed. */
  appUrl: string;
  /** The app manifest to install. Default: the repository's manifest.json. */
  manifest?: unknown;
  /** The installation's relay_url setting. Default: appUrl without its /app path. */
  relayUrl?: string;
  /**
   * Installation settings besides relay_url. Default: the nameplate values mapped to the seeded
   * text fields (as an admin would), so `npm start` shows them in the ticket; `PUT
   * /api/v2/apps/installations/:id.json` changes them at run time.
   */
  settings?: Record<string, string>;
  /** Account rules to start with; PUT /sandbox/api/strictness changes them at run time. */
  strictness?: z.input<typeof strictnessUpdate>;
}

export interface Sandbox {
  /** Handles /sandbox/** and /api/v2/**; mount at '/'. */
  router: Router;
  helpdesk: { baseUrl: string; email: string; apiToken: string; appId: number; installationId: number };
  close(): void;
}

/** The sandbox admin's field mapping: model, serial number and production date to the seeded text fields. */
export const DEFAULT_NAMEPLATE_SETTINGS: Record<string, string> = {
  nameplate_model_field: String(SANDBOX_TICKET_FIELDS.model.id),
  nameplate_serial_field: String(SANDBOX_TICKET_FIELDS.serial.id),
  nameplate_date_field: String(SANDBOX_TICKET_FIELDS.productionDate.id),
};

export const SANDBOX_APP_ID = 1_000_001;
export const SANDBOX_INSTALLATION_ID = 360_000_001;
export const SANDBOX_SUBDOMAIN = 'sandbox';

function errorStatus(err: unknown): number {
  if (typeof err === 'object' && err !== null) {
    const s = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return 500;
}

/** A local helpdesk that speaks Zendesk's REST API and hosts the app like Zendesk's agent workspace. */
export async function createSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const appUrl = opts.appUrl.replace(/\/+$/, '');
  const installation = installManifest(opts.manifest ?? readRepoManifest(), {
    relay_url: (opts.relayUrl ?? appUrl.replace(/\/app$/, '')).replace(/\/+$/, ''),
    ...(opts.settings ?? DEFAULT_NAMEPLATE_SETTINGS),
  });
  const db = openDb(opts.dbPath);
  try {
    const store = new Store(db);
    const keys = await loadSigningKeys(db);
    const agent = store.user(AGENT_ID);
    if (!agent) throw new Error('sandbox database has no agent user');
    const auth: AuthConfig = {
      apiEmail: agent.email,
      apiToken: await persistentSetting(db, 'api_token', () => randomBytes(30).toString('base64url')),
      agentId: agent.id,
      sessionSecret: await persistentSetting(db, 'agent_session_secret', () => randomBytes(32).toString('base64url')),
    };
    const ser = new Serializer(publicUrl);
    const strictness = newStrictness();
    if (opts.strictness) applyStrictness(strictness, opts.strictness);

    const router = express.Router();
    const account = { fields: new TicketFields(db), installation, installationId: SANDBOX_INSTALLATION_ID };
    router.use('/api/v2', zendeskApi(store, ser, auth, keys.publicKeyPem, SANDBOX_APP_ID, publicUrl, strictness, account));
    router.use('/sandbox/api', requireAuth(auth), strictnessRoutes(strictness));
    router.use(
      '/sandbox',
      sandboxRoutes(store, keys, auth, {
        publicUrl,
        appUrl,
        appId: SANDBOX_APP_ID,
        installationId: SANDBOX_INSTALLATION_ID,
        subdomain: SANDBOX_SUBDOMAIN,
        installation,
      }),
    );
    // Body-parser and other thrown errors become Zendesk-style JSON instead of HTML stack pages.
    router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      const status = errorStatus(err);
      if (status >= 500) console.error('sandbox: %s %s failed', req.method, req.originalUrl, err);
      res.status(status).json({
        error: status >= 500 ? 'InternalError' : 'InvalidRequest',
        description: status >= 500 ? 'Internal error' : err instanceof Error ? err.message : 'Invalid request',
      });
    });

    return {
      router,
      helpdesk: {
        baseUrl: publicUrl,
        email: auth.apiEmail,
        apiToken: auth.apiToken,
        appId: SANDBOX_APP_ID,
        installationId: SANDBOX_INSTALLATION_ID,
      },
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
