/** Bumped on any breaking change to a frame's shape; the relay refuses other versions in `hello`. */
export const PROTOCOL_VERSION = 1;

/** Frames larger than this are refused before parsing (bytes of UTF-8 JSON). */
export const MAX_FRAME_BYTES = 64 * 1024;
