export * from './version.js';
export * from './common.js';
export * from './signaling.js';
export * from './messages.js';
export * from './http.js';
export * from './features/chat.js';
export * from './features/annotations.js';
export * from './features/journey.js';
