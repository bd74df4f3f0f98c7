import type { HelpdeskConfig } from './config/index.js';
import { FreshdeskHelpdesk } from './helpdesk/freshdesk.js';
import type { Helpdesk } from './helpdesk/types.js';
import type { NameplateFieldMapRepository } from './nameplate/field-map.js';
import { ZendeskHelpdesk } from './helpdesk/zendesk.js';
import { FreshdeskNoteWriter, ZendeskNoteWriter, type HelpdeskNoteWriter } from './writeback/index.js';

/** The relay's two ends of one helpdesk account: its API for agents and tickets, and the note writer. */
export interface HelpdeskConnection {
  helpdesk: Helpdesk;
  writer: HelpdeskNoteWriter;
  /** The helpdesk's web origin, allowed to frame the app pages. */
  origin: string;
}

/**
 * The adapter and writer for the configured kind of helpdesk. `apiBaseUrl` sends REST calls
 * elsewhere than the account's URL (a stand-in served by this process, on loopback); `fetch`
 * times each call; `requestTimeoutMs` is the writer's per request (tests make it short).
 */
export function connectHelpdesk(
  config: HelpdeskConfig,
  opts: {
    fetch: typeof fetch;
    apiBaseUrl?: string;
    requestTimeoutMs?: number;
    /** The nameplate mappings Freshdesk app sign-ins stored (the installation's iparams). */
    nameplateFieldMaps?: Pick<NameplateFieldMapRepository, 'get'>;
  },
): HelpdeskConnection {
  const timeout = opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {};
  if (config.kind === 'freshdesk') {
    const api = { ...config, baseUrl: opts.apiBaseUrl ?? config.baseUrl };
    const maps = opts.nameplateFieldMaps;
    return {
      helpdesk: new FreshdeskHelpdesk(api, { fetch: opts.fetch }),
      writer: new FreshdeskNoteWriter({
        fetch: opts.fetch,
        baseUrl: api.baseUrl,
        apiKey: config.apiKey,
        ...(config.nameplateFields ? { ticketFields: config.nameplateFields } : {}),
        ...(maps ? { storedTicketFields: () => maps.get(config.domain) } : {}),
        ...timeout,
      }),
      // The agent works at https://<domain>; the app itself is Freshworks' iframe, not the relay's page.
      origin: new URL(config.baseUrl).origin,
    };
  }
  // Same code against Zendesk and a stand-in; the sandbox's comment pages link to its public URL,
  // and the writer follows only links on its own base URL.
  return {
    helpdesk: new ZendeskHelpdesk(config, { fetch: opts.fetch, ...(opts.apiBaseUrl ? { apiBaseUrl: opts.apiBaseUrl } : {}) }),
    writer: new ZendeskNoteWriter({
      fetch: opts.fetch,
      baseUrl: config.baseUrl,
      installationId: config.installationId,
      auth: config.oauthToken
        ? { kind: 'oauth', accessToken: config.oauthToken }
        : { kind: 'api_token', email: config.email, apiToken: config.apiToken },
      ...timeout,
    }),
    origin: new URL(config.baseUrl).origin,
  };
}
