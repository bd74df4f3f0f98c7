/**
 * Journey frames. Each feature owns its frames and lists them here; messages.ts folds these lists
 * into the two direction unions, so features grow without touching each other.
 */
export const journeyClientFrames = [] as const;
export const journeyRelayFrames = [] as const;
