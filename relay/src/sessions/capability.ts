import { Router } from 'express';
import type { Capability } from '../capability.js';
import { distFolder } from '../http/dist-files.js';
import { appRoutes } from './app-routes.js';
import { joinRoutes } from './join-routes.js';
import { apiRoutes } from './routes.js';
import { sessionsSchema } from './store.js';
import { SignedUrlTokenGuard } from './token-replay.js';

/** Sessions and invites: the agent's app load, starting a session, the invite link, the join. */
export const sessionsCapability: Capability = {
  name: 'sessions',
  schema: sessionsSchema,
  routes: ({ sessions, helpdesk, config, publicUrl, log, now }) => {
    const router = Router();
    const tokens = new SignedUrlTokenGuard(now);
    router.use(appRoutes({ sessions, helpdesk, dist: distFolder(config.zendeskAppDir), publicUrl, log, tokens }));
    router.use(joinRoutes({ sessions, dist: distFolder(config.customerWebDir) }));
    router.use(apiRoutes(sessions));
    return router;
  },
};
