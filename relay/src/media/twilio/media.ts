import type twilio from 'twilio';
import type { Logger } from '../../logger.js';
import type { ExternalCalls } from '../../metrics/external.js';
import { createTwilioClient, type TwilioClient } from './client.js';
import type { TwilioConfig } from '../../config/twilio.js';
import { NtsIceServers } from './nts.js';
import type { RetryOptions } from './retry.js';
import { TwilioRooms } from './rooms.js';
import { mintVideoToken, type VideoToken } from './tokens.js';
import { createTwilioWebhookHandlers, statusCallbackUrl, type TwilioRoomEvent } from './webhook.js';

/** Why no token was minted; the caller maps it to 401/410. */
export class VideoGrantRefused extends Error {
  override readonly name = 'VideoGrantRefused';
  constructor(readonly reason: 'session-ended' | 'session-expired') {
    super(reason === 'session-ended' ? 'The session has ended' : 'The session has expired');
  }
}

export type TwilioMediaDeps = {
  /** Tests and local runs: Twilio's REST API stand-in (see RebasedRequestClient). */
  httpClient?: twilio.RequestClient;
  retry?: RetryOptions;
  logger?: Logger;
  now?: () => number;
  /** Where REST requests are timed and counted (the relay's Twilio metrics). */
  calls?: ExternalCalls;
};

/** Everything Twilio for one relay: rooms, tokens, TURN and status callbacks, from one config. */
export class TwilioMedia {
  readonly client: TwilioClient;
  readonly rooms: TwilioRooms;
  readonly nts: NtsIceServers;
  private readonly now: () => number;

  constructor(
    readonly config: TwilioConfig,
    private readonly deps: TwilioMediaDeps = {},
  ) {
    this.client = createTwilioClient(config, {
      ...(deps.httpClient ? { httpClient: deps.httpClient } : {}),
      ...(deps.calls ? { calls: deps.calls } : {}),
    });
    this.rooms = new TwilioRooms({
      client: this.client,
      maxParticipants: config.maxParticipants,
      mediaRegion: config.mediaRegion,
      statusCallbackUrl: config.webhookBaseUrl ? statusCallbackUrl(config.webhookBaseUrl) : null,
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
    this.nts = new NtsIceServers({ client: this.client, ...(deps.retry ? { retry: deps.retry } : {}) });
    this.now = deps.now ?? Date.now;
  }

  /**
   * For an already authenticated participant: makes sure the session's room is in progress and
   * mints a token for it that ends no later than the session (but lives at least a minute).
   */
  async grantVideo(args: {
    sessionId: string;
    /** Twilio identity; the role (`customer`/`specialist`), so a rejoin replaces the stale seat. */
    identity: string;
    session: { status: 'active' | 'ended'; expiresAt: Date };
  }): Promise<VideoToken & { roomSid: string }> {
    if (args.session.status !== 'active') throw new VideoGrantRefused('session-ended');
    const remainingSeconds = (args.session.expiresAt.getTime() - this.now()) / 1000;
    if (remainingSeconds <= 0) throw new VideoGrantRefused('session-expired');
    const room = await this.rooms.createRoom(args.sessionId);
    const token = mintVideoToken({
      config: this.config,
      identity: args.identity,
      roomName: room.uniqueName,
      ttlSeconds: remainingSeconds,
      now: this.now,
    });
    return { ...token, roomSid: room.sid };
  }

  /** Express handlers for the status callback route, or null when Twilio cannot reach the relay. */
  webhookHandlers(onEvent: (event: TwilioRoomEvent) => void | Promise<void>) {
    if (!this.config.webhookBaseUrl) return null;
    return createTwilioWebhookHandlers({
      authToken: this.config.authToken,
      webhookBaseUrl: this.config.webhookBaseUrl,
      onEvent,
      ...(this.deps.logger ? { logger: this.deps.logger } : {}),
    });
  }
}
