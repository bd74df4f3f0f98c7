export * from './emitter.js';
export * from './backoff.js';
export * from './socket-factory.js';
export * from './socket.js';
export * from './peer.js';
export * from './media.js';
export * from './transport.js';
export * from './p2p.js';
export * from './watch.js';
// Static exports only: twilio-video itself is fetched by a dynamic import when a Twilio call starts.
export * from './twilio/index.js';
export * from './annotations/index.js';
export * from './chat/index.js';
export * from './call/create-transport.js';
export * from './camera/index.js';
export * from './quality/index.js';
