export { DropReason, RelayMetrics, type LiveSources, type OutboxDepth } from './relay-metrics.js';
export { CallOutcome, outcomeOf, timed, timedFetch, type ExternalCalls } from './external.js';
export { metricsRouter } from './route.js';
