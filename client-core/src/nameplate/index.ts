// The nameplate reader, a subpath of its own (`@live-assist/client-core/nameplate`): only the
// console imports it, so the customer's page never carries any of it.
export * from './types.js';
export * from './preprocess.js';
export * from './parse.js';
export * from './pipeline.js';
export * from './engines.js';
export * from './reader.js';
