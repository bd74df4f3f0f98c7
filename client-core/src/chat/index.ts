export * from './entry.js';
export type { ChatOutboxStorage } from './outbox.js';
export * from './store.js';
export * from './upload.js';
export * from './photo-vault.js';
export * from './download.js';
