export * from './emitter.js';
export * from './backoff.js';
export * from './socket-factory.js';
export * from './socket.js';
export * from './peer.js';
export * from './media.js';
export * from './transport.js';
export * from './p2p.js';
