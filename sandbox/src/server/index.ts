export * from './sandbox.js';
export { sandboxForRelay, type RelaySandbox, type RelayListening, type SandboxBinding } from './relay-binding.js';
