import type { CommentLimits } from './types.js';

/**
 * Zendesk takes at most 50 uploads on one comment (more answers 400) and 50 MB per file; the
 * byte bound keeps one comment's files within a single file's limit.
 */
export const ZENDESK_COMMENT_LIMITS: CommentLimits = { maxFiles: 50, maxBytes: 50 * 1024 * 1024 };

/**
 * Freshdesk: "The total size of all the ticket's attachments (not just this note) cannot exceed
 * 20MB". A budget per ticket, not per note (so more notes would not help); read as decimal
 * megabytes, the smaller reading, so a note never lands just past the limit.
 */
export const FRESHDESK_TICKET_ATTACHMENT_BYTES = 20 * 1000 * 1000;

/** How many of `sizes` (in order) fit in one comment; a comment with text may also take none. */
export function fittingCount(sizes: readonly number[], limits: CommentLimits, atLeastOne: boolean): number {
  let bytes = 0;
  let n = 0;
  for (const size of sizes) {
    if (n >= limits.maxFiles || bytes + size > limits.maxBytes) break;
    bytes += size;
    n += 1;
  }
  return atLeastOne ? Math.max(1, n) : n;
}

/** A refusal that names the size or number of files: worth trying again with fewer. */
export function isSizeOrCountRefusal(status: number | undefined, message: string): boolean {
  if (status === 413) return true;
  if (status !== 400 && status !== 422) return false;
  return /upload|attach|too (many|large|big)|size|limit|exceed/i.test(message);
}
