export * from './store.js';
export * from './upload.js';
