/**
 * One timer per own message sent and not answered yet: when the relay stays silent for `ms`, the
 * message is given up on (retry resends it under the same client id).
 */
export class AckTimeouts {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ms: number,
    private readonly expired: (clientId: string) => void,
  ) {}

  /** Starts the wait again: a resend gets the full time. */
  arm(clientId: string): void {
    this.disarm(clientId);
    const timer = setTimeout(() => {
      this.timers.delete(clientId);
      this.expired(clientId);
    }, this.ms);
    this.timers.set(clientId, timer);
  }

  /** The relay answered (confirmed or refused). */
  disarm(clientId: string): void {
    const timer = this.timers.get(clientId);
    if (timer) clearTimeout(timer);
    this.timers.delete(clientId);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
