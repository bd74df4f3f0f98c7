// Anchored marks, a subpath of its own (`@live-assist/client-core/anchoring`): only the console
// imports it, and only when the first mark is drawn on live video; the customer's page never
// carries it (it applies transforms with `applySimilarity`, which it may copy or import alone
// from `@live-assist/client-core/anchoring/types`).
export * from './types.js';
export { AnchorTracker, DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './tracker.js';
export { grayFromRgba, downscaleGray } from './image.js';
export { createAnchorWorker, type AnchorWorker, type AnchorWorkerOptions } from './client.js';
