import type { Capability } from '../capability.js';
import { journeyFeature } from './feature.js';
import { journeySchema } from './store.js';

/** The customer's consent record and the location step; part of every session. */
export const journeyCapability: Capability = {
  name: 'journey',
  schema: journeySchema,
  roomFeature: ({ storage, now }) => journeyFeature({ journey: storage.journey, now }),
};
