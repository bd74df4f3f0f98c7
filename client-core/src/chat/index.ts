export * from './store.js';
export * from './upload.js';
export * from './photo-vault.js';
