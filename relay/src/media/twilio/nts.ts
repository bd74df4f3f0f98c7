import { z } from 'zod';
import { IceServerSchema, type IceServer } from '@live-assist/protocol';
import type { TwilioClient } from './client.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';

export type NtsIceServersOptions = {
  client: TwilioClient;
  /** Lifetime asked of Twilio for each credential set (Twilio's default and our default: 24 h). */
  ttlSeconds?: number;
  /**
   * Credentials handed to a client must outlive its call (TURN allocations are refreshed with
   * them), so a cached set is replaced once less than this is left. Default 4 h, the longest call.
   */
  minRemainingSeconds?: number;
  retry?: RetryOptions;
  now?: () => number;
};

const TwilioIceServersSchema = z.array(
  z.object({
    urls: z.string().optional(),
    url: z.string().optional(),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

/**
 * STUN/TURN servers from Twilio's Network Traversal Service for the P2P path: a set per session
 * (`mint`), and one shared set, renewed before it gets too short-lived, as the fallback while a
 * session's own set is not there.
 */
export class NtsIceServers {
  private readonly ttlSeconds: number;
  private readonly minRemainingMs: number;
  private readonly now: () => number;
  private cached: { servers: IceServer[]; expiresAt: number } | null = null;
  private inFlight: Promise<IceServer[]> | null = null;

  constructor(private readonly options: NtsIceServersOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 24 * 60 * 60;
    this.minRemainingMs = (options.minRemainingSeconds ?? 4 * 60 * 60) * 1000;
    if (this.minRemainingMs >= this.ttlSeconds * 1000) {
      throw new Error('NTS ttlSeconds must be longer than minRemainingSeconds');
    }
    this.now = options.now ?? Date.now;
  }

  /** Throws when Twilio cannot be reached and nothing usable is cached; callers fall back to static servers. */
  async getIceServers(): Promise<IceServer[]> {
    if (this.cached && this.cached.expiresAt - this.now() > this.minRemainingMs) return this.cached.servers;
    // Concurrent joins share one request.
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * A credential set of its own for one session, living `ttlSeconds` (the session's remaining
   * time, at most 4 h): a leaked set is worth little and expires with its call. Not cached.
   */
  async mint(ttlSeconds: number): Promise<IceServer[]> {
    return (await this.request(ttlSeconds)).servers;
  }

  private async fetch(): Promise<IceServer[]> {
    const requestedAt = this.now();
    const { servers, lifetimeSeconds } = await this.request(this.ttlSeconds);
    this.cached = { servers, expiresAt: requestedAt + lifetimeSeconds * 1000 };
    return servers;
  }

  private async request(ttlSeconds: number): Promise<{ servers: IceServer[]; lifetimeSeconds: number }> {
    const token = await withRetry(() => this.options.client.tokens.create({ ttl: ttlSeconds }), this.options.retry ?? DEFAULT_RETRY);
    const raw = TwilioIceServersSchema.parse(token.iceServers);
    const servers: IceServer[] = [];
    for (const entry of raw) {
      const urls = entry.urls ?? entry.url;
      if (!urls) continue;
      servers.push(
        IceServerSchema.parse({
          urls,
          ...(entry.username !== undefined ? { username: entry.username } : {}),
          ...(entry.credential !== undefined ? { credential: entry.credential } : {}),
        }),
      );
    }
    if (servers.length === 0) throw new Error('Twilio NTS returned no ICE servers');
    const ttl = Number(token.ttl);
    return { servers, lifetimeSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : ttlSeconds };
  }
}
