export * from './mapping.js';
export * from './model.js';
export * from './drawer.js';
export * from './shapes.js';
export * from './overlay.js';
export * from './still.js';
export * from './pointer-route.js';
