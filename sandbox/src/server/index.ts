export * from './sandbox.js';
export { sandboxForRelay, type RelaySandbox, type RelayListening, type SandboxBinding } from './relay-binding.js';
export { freshdeskSandboxForRelay, type RelayFreshdeskSandbox } from './freshdesk/binding.js';
export { createFreshdeskSandbox, type FreshdeskSandbox } from './freshdesk/sandbox.js';
