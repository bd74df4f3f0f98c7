/** Where this browser keeps its seat in a call, so a reload takes the same seat back. */
export const seatStorageKey = (inviteToken: string) => `live-assist:seat:${inviteToken}`;
