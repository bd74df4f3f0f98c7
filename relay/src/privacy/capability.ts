import type { Capability } from '../capability.js';
import { privacySchema } from './store.js';

/** Retention, access and erasure, and the audit log; the sweep is started by the app. */
export const privacyCapability: Capability = {
  name: 'privacy',
  schema: privacySchema,
};
