export * from './sandbox.js';
export { sandboxForRelay, type RelaySandbox, type RelayListening, type SandboxBinding } from './relay-binding.js';
export { freshdeskSandboxForRelay, type RelayFreshdeskSandbox } from './freshdesk/binding.js';
export { createFreshdeskSandbox, type FreshdeskSandbox } from './freshdesk/sandbox.js';
// Freshdesk's rules for a note or reply body: the relay's test stand-in applies the same ones.
export { isFreshdeskError, readConversationWrite, type ConversationWrite, type FreshdeskError } from './freshdesk/writes.js';
export { SANDBOX_TICKET_FIELDS, type TicketField } from './ticket-fields.js';
export { FD_TICKET_FIELDS } from './freshdesk/store.js';
export { DEFAULT_NAMEPLATE_FIELDS, SEEDED_INSTALLATION_SETTINGS } from './freshdesk/sandbox.js';
// Freshdesk's rules for a ticket update's custom fields: the relay's test stand-in applies the same ones.
export { readTicketUpdate, type TicketUpdate } from './freshdesk/ticket-update.js';
