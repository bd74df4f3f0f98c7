import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Router } from 'express';
import { FdStore } from './store.js';
import { freshdeskApi } from './api.js';
import { fdStrictnessRoutes, newFdStrictness, type FdStrictness } from './strictness.js';
import { hostPage, type HostedApp } from './host-page.js';

export interface FreshdeskSandboxOptions {
  dbPath: string;
  /** Where the relay (and so the sandbox's pages and API) is reached, e.g. http://localhost:3000. */
  publicUrl: string;
  /** The Freshdesk app to host on the ticket page; without it the page says how to build one. */
  app?: HostedApp;
  now?: () => number;
  /**
   * The relay's FRESHDESK_NAMEPLATE_*_FIELD for this account (the fallback until the app signs in
   * with its installation's mapping). Default: the seeded `cf_pump_model`, `cf_serial_number` and
   * `cf_production_date`; `{}` maps none.
   */
  nameplateFields?: FreshdeskSandboxHelpdesk['nameplateFields'];
}

/** What the relay is configured with for this sandbox (its FreshdeskConfig). */
export interface FreshdeskSandboxHelpdesk {
  kind: 'freshdesk';
  baseUrl: string;
  domain: string;
  apiKey: string;
  appSecret: string;
  nameplateFields?: Partial<Record<'model' | 'serial' | 'date', string>>;
}

/** What the sandbox's "admin" mapped: the seeded text fields (see FD_TICKET_FIELDS). */
export const DEFAULT_NAMEPLATE_FIELDS = { model: 'cf_pump_model', serial: 'cf_serial_number', date: 'cf_production_date' } as const;

/**
 * The seeded installation's settings (iparams): the nameplate values mapped to the seeded fields,
 * so `npm start` writes them the way a real installation does, through the app's sign-in.
 */
export const SEEDED_INSTALLATION_SETTINGS: Readonly<Record<string, string>> = {
  nameplate_model_field: DEFAULT_NAMEPLATE_FIELDS.model,
  nameplate_serial_field: DEFAULT_NAMEPLATE_FIELDS.serial,
  nameplate_date_field: DEFAULT_NAMEPLATE_FIELDS.date,
};

export interface FreshdeskSandbox {
  /** Handles /api/v2/** and /sandbox/freshdesk/**; mount at '/'. */
  router: Router;
  helpdesk: FreshdeskSandboxHelpdesk;
  strictness: FdStrictness;
  close(): void;
}

/**
 * A local Freshdesk account for development and tests: its REST subset for the relay, and a ticket
 * page hosting the Freshdesk app with a stand-in for the Freshworks client.
 */
export function createFreshdeskSandbox(opts: FreshdeskSandboxOptions): FreshdeskSandbox {
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const store = new FdStore(opts.dbPath);
  try {
    const now = opts.now ?? Date.now;
    const apiKey = store.setting('api_key', () => randomBytes(15).toString('base64url'));
    // The installation's secure iparam: the relay checks it on every app sign-in.
    const appSecret = store.setting('app_secret', () => randomBytes(32).toString('base64url'));
    const agentSession = store.setting('agent_session', () => randomBytes(32).toString('base64url'));
    const helpdesk: FreshdeskSandboxHelpdesk = {
      kind: 'freshdesk',
      baseUrl: publicUrl,
      domain: new URL(publicUrl).host,
      apiKey,
      appSecret,
      nameplateFields: opts.nameplateFields ?? DEFAULT_NAMEPLATE_FIELDS,
    };
    const strictness = newFdStrictness();
    const basic = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;

    const router = express.Router();
    router.use('/api/v2', freshdeskApi(store, { apiKey, strictness, now }));
    router.use(
      '/sandbox/freshdesk/api/strictness',
      (req, res, next) => {
        if (req.headers.authorization === basic) return next();
        res.status(401).json({ code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' });
      },
      fdStrictnessRoutes(strictness),
    );
    router.use('/sandbox/freshdesk', hostPage(store, { publicUrl, helpdesk, agentSession, now, ...(opts.app ? { app: opts.app } : {}) }));
    return { router, helpdesk, strictness, close: () => store.close() };
  } catch (e) {
    store.close();
    throw e;
  }
}
