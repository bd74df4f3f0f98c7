import type { Capability } from '../capability.js';
import { chatFeature } from './feature.js';
import { chatSchema } from './store.js';

/** Chat between the customer and the specialist, with photos. */
export const chatCapability: Capability = {
  name: 'chat',
  schema: chatSchema,
  roomFeature: ({ storage, uploads, now }) => chatFeature({ chat: storage.chat, sessions: storage.sessions, uploads, now }),
};
