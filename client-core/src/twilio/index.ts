export * from './errors.js';
export * from './state.js';
export * from './sdk.js';
export * from './transport.js';
export * from './token.js';
