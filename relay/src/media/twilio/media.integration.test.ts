import { jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { RebasedRequestClient } from './client.js';
import type { TwilioConfig } from '../../config/twilio.js';
import { FakeTwilioApi } from '../../testing/fakes/twilio-video.js';
import { TwilioMedia, VideoGrantRefused } from './media.js';

const config: TwilioConfig = {
  mediaMode: 'twilio',
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'media-test-api-key-secret',
  authToken: 'media-test-auth-token',
  maxParticipants: 2,
  mediaRegion: 'gll',
  webhookBaseUrl: 'https://assist.example.com',
};
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
let api: FakeTwilioApi;
let media: TwilioMedia;

beforeEach(async () => {
  api = new FakeTwilioApi(config.accountSid);
  await api.start();
  media = new TwilioMedia(config, {
    httpClient: new RebasedRequestClient(api.url),
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 },
    logger: silentLogger,
    now: () => now,
  });
});

afterEach(async () => {
  await api.stop();
});

describe('TwilioMedia.grantVideo', () => {
  it('creates the room once and mints tokens for it that end with the session', async () => {
    const session = { status: 'active' as const, expiresAt: new Date(now + 30 * 60 * 1000) };
    const customer = await media.grantVideo({ sessionId: 'sess_abcdefgh', identity: 'customer', session });
    const specialist = await media.grantVideo({ sessionId: 'sess_abcdefgh', identity: 'specialist', session });

    expect(api.rooms.size).toBe(1);
    const room = [...api.rooms.values()][0]!;
    expect(room.statusCallback).toBe('https://assist.example.com/api/media/twilio/status');
    expect(customer.roomSid).toBe(room.sid);
    expect(specialist.roomSid).toBe(room.sid);

    const { payload } = await jwtVerify(customer.token, new TextEncoder().encode(config.apiKeySecret), {
      currentDate: new Date(now),
    });
    expect(payload.grants).toEqual({ identity: 'customer', video: { room: 'live-assist-sess_abcdefgh' } });
    expect(customer.expiresAt.getTime()).toBe(session.expiresAt.getTime());
  });

  it('mints nothing for an ended or expired session', async () => {
    await expect(
      media.grantVideo({
        sessionId: 'sess_abcdefgh',
        identity: 'customer',
        session: { status: 'ended', expiresAt: new Date(now + 60_000) },
      }),
    ).rejects.toEqual(new VideoGrantRefused('session-ended'));
    await expect(
      media.grantVideo({
        sessionId: 'sess_abcdefgh',
        identity: 'customer',
        session: { status: 'active', expiresAt: new Date(now - 1) },
      }),
    ).rejects.toMatchObject({ reason: 'session-expired' });
    expect(api.requests).toHaveLength(0);
  });

  it('offers webhook handlers only when Twilio can reach the relay', () => {
    expect(media.webhookHandlers(() => {})).toHaveLength(2);
    const local = new TwilioMedia({ ...config, webhookBaseUrl: null });
    expect(local.webhookHandlers(() => {})).toBeNull();
    expect(local.rooms).toBeDefined();
  });
});
