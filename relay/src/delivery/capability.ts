import type { Capability } from '../capability.js';
import { deliveryRoutes } from './routes.js';

/** Sending the invite link: as a public ticket comment, or by SMS through Twilio. */
export const deliveryCapability: Capability = {
  name: 'delivery',
  routes: ({ sessions, helpdesk, sms, config, now, log }) =>
    deliveryRoutes({ sessions, helpdesk, sms, companyName: config.branding.companyName, now, log }),
};
