export * from './version.js';
export * from './common.js';
export * from './signaling.js';
export * from './messages.js';
export * from './http.js';
