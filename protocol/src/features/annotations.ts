/**
 * Annotations frames. Each feature owns its frames and lists them here; messages.ts folds these lists
 * into the two direction unions, so features grow without touching each other.
 */
export const annotationsClientFrames = [] as const;
export const annotationsRelayFrames = [] as const;
