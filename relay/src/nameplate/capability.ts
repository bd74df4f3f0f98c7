import type { Capability } from '../capability.js';
import { nameplateFeature } from './feature.js';
import { nameplateSchema } from './store.js';

/** Nameplates the specialist read and confirmed: kept with the session for the note and ticket fields. */
export const nameplateCapability: Capability = {
  name: 'nameplate',
  schema: nameplateSchema,
  roomFeature: ({ storage, uploads, now }) =>
    storage.nameplates ? nameplateFeature({ store: storage.nameplates, uploads: uploads.repo, now }) : null,
};
