export * from './client.js';
export * from './retry.js';
export * from './tokens.js';
export * from './rooms.js';
export * from './webhook.js';
export * from './nts.js';
export * from './media.js';
