export { WritebackOutbox, type WritebackOutboxOptions, type StatusListener, type Timers } from './outbox.js';
export { LeaseLost, OutboxStore } from './store.js';
export { writebackSchema } from './schema.js';
export { ZendeskNoteWriter, type ZendeskAuth, type ZendeskNoteWriterConfig } from './zendesk-writer.js';
export { FreshdeskNoteWriter, type FreshdeskNoteWriterConfig } from './freshdesk-writer.js';
export { noteMarker, withMarker, containsMarker, isValidOpKey } from './marker.js';
export { parseRetryAfter, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './retry.js';
export * from './types.js';
