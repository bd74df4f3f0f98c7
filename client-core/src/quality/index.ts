export * from './ladder.js';
export * from './ladder-loop.js';
export * from './apply-step.js';
export * from './link-stats.js';
