import type { Capability } from '../capability.js';
import { cameraFeature } from './feature.js';

/** The specialist drives the phone's light, zoom, camera and focus; the phone stays in charge. */
export const cameraCapability: Capability = {
  name: 'camera',
  roomFeature: () => cameraFeature(),
};
