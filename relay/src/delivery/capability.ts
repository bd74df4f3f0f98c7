import type { Capability } from '../capability.js';
import { deliveryRoutes } from './routes.js';
import { deliverySchema, inviteSmsStore } from './store.js';

/** Sending the invite link: as a public ticket comment, or by SMS through Twilio. */
export const deliveryCapability: Capability = {
  name: 'delivery',
  schema: deliverySchema,
  routes: ({ storage, sessions, helpdesk, sms, config, now, log }) =>
    deliveryRoutes({
      sessions,
      helpdesk,
      sms,
      texts: inviteSmsStore(storage.database),
      companyName: config.branding.companyName,
      now,
      log,
    }),
};
