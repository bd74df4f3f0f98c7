// The reading engine, behind a dynamic import of this file (consoleNameplate.ts): the console's
// first load does not carry it, and the engine's worker, wasm and language data come from the
// relay (`/ocr/`) only when Read text is first pressed.
export { createNameplateReader } from '@live-assist/client-core/nameplate';
