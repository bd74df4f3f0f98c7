import { Router } from 'express';
import type { Capability } from '../capability.js';
import { distFolder } from '../http/dist-files.js';
import { nameplateMappingOnSignIn } from '../nameplate/sign-in-fields.js';
import { GuessLimiter, INVITE_GUESS_LIMIT } from '../http/guess-limit.js';
import { appActionRoutes } from './app-actions.js';
import { appRoutes } from './app-routes.js';
import { appSignInRoutes } from './app-sign-in.js';
import { ConsoleLinks, consoleTabRoutes } from './console-tab.js';
import { joinRoutes } from './join-routes.js';
import { apiRoutes } from './routes.js';
import { sessionsSchema, spentAppTokenRepository } from './store.js';
import { SignedUrlTokenGuard } from './token-replay.js';

/** Sessions and invites: the agent's app load, starting a session, the invite link, the join. */
export const sessionsCapability: Capability = {
  name: 'sessions',
  schema: sessionsSchema,
  routes: ({ storage, sessions, helpdesk, config, publicUrl, secret, log, now, audit }) => {
    const router = Router();
    // In the shared database: behind a load balancer a token must not open the app once per relay.
    const spent = spentAppTokenRepository(storage.database);
    const tokens = new SignedUrlTokenGuard(spent, now);
    // One count for the page and the API: switching between them gains a guesser nothing.
    const guesses = new GuessLimiter({ ...INVITE_GUESS_LIMIT, now });
    router.use(appRoutes({ sessions, helpdesk, dist: distFolder(config.zendeskAppDir), publicUrl, log, tokens }));
    // Mounted whatever the helpdesk: one that signs its loads (Zendesk) refuses the secret's sign-in.
    // The installation's nameplate mapping rides on the sign-in (relay/src/nameplate/sign-in-fields.ts).
    const fieldMaps = storage.nameplateFieldMaps;
    const installationSettings = fieldMaps ? nameplateMappingOnSignIn({ store: fieldMaps, now, log }) : undefined;
    router.use(appSignInRoutes({ sessions, helpdesk, publicUrl, audit, log, ...(installationSettings ? { installationSettings } : {}) }));
    const links = new ConsoleLinks(secret, now);
    router.use(consoleTabRoutes({ sessions, links, spent, agentSessions: storage.agentSessions, publicUrl, audit, log, now }));
    // Before every agent endpoint (later capabilities' too): an action continues to its endpoint.
    router.use(appActionRoutes());
    router.use(joinRoutes({ sessions, dist: distFolder(config.customerWebDir), guesses }));
    router.use(apiRoutes(sessions, guesses));
    return router;
  },
};
