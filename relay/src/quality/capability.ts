import type { Capability } from '../capability.js';
import { qualityFeature } from './feature.js';

/** Each side's step on the quality ladder, passed to the other so both screens say the same. */
export const qualityCapability: Capability = {
  name: 'quality',
  roomFeature: () => qualityFeature(),
};
