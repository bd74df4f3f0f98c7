import { ANCHOR_UPDATES_PER_SECOND, anchorNewer, type MarkAnchor } from '@live-assist/protocol';

/**
 * The latest anchor update of each anchored mark (docs/contract.md "Anchored marks"): kept in
 * memory only, so a phone that reconnects or reloads puts its marks where the object is now, not
 * where they were drawn. Updates come up to 15 a second per mark and each replaces the last, so
 * none is stored; after a relay restart marks start from where they were drawn until the next one.
 */
export class LatestAnchors {
  private readonly latest = new Map<string, MarkAnchor>();
  private tokens = ANCHOR_UPDATES_PER_SECOND;
  private refilledAt: number;
  private warnedAt = -Infinity;

  constructor(private readonly now: () => number = () => Date.now()) {
    this.refilledAt = now();
  }

  /**
   * Takes one update. `rate-limited` beyond the session's budget (a second's worth of burst),
   * `stale` for one no newer than what is kept (it would move the mark back), `ok` otherwise.
   */
  take(update: MarkAnchor): 'ok' | 'stale' | 'rate-limited' {
    const now = this.now();
    this.tokens = Math.min(ANCHOR_UPDATES_PER_SECOND, this.tokens + ((now - this.refilledAt) / 1000) * ANCHOR_UPDATES_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return 'rate-limited';
    this.tokens -= 1;
    if (!anchorNewer(update, this.latest.get(update.markId))) return 'stale';
    this.latest.set(update.markId, update);
    return 'ok';
  }

  /** Whether to tell the sender it is being limited: at most once a second, like the socket's limit. */
  shouldWarn(): boolean {
    const now = this.now();
    if (now - this.warnedAt < 1000) return false;
    this.warnedAt = now;
    return true;
  }

  /** Every kept update of the marks still there, for a joining page. */
  current(markIds: ReadonlySet<string>): MarkAnchor[] {
    for (const id of this.latest.keys()) if (!markIds.has(id)) this.latest.delete(id);
    return [...this.latest.values()];
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.latest.delete(id);
  }
}
