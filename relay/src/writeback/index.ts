export { WritebackOutbox, type WritebackOutboxOptions, type StatusListener, type Timers } from './outbox.js';
export { migrateOutbox, OutboxStore } from './store.js';
export { ZendeskNoteWriter, type ZendeskAuth, type ZendeskNoteWriterConfig } from './zendesk-writer.js';
export { noteMarker, withMarker, containsMarker, isValidOpKey } from './marker.js';
export { parseRetryAfter, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './retry.js';
export * from './types.js';
