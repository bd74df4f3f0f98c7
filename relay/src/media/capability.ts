import type { Capability } from '../capability.js';
import { mediaRoutes } from './routes.js';

/** How a call's media flows: P2P signaling lives in the room; Twilio tokens and callbacks here. */
export const mediaCapability: Capability = {
  name: 'media',
  routes: ({ media, twilio }) => mediaRoutes(media, twilio),
};
