import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseTwilioEnv } from './twilio.js';

const creds = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'api-key-secret-value',
  TWILIO_AUTH_TOKEN: 'auth-token-value-123',
};

describe('parseTwilioEnv', () => {
  it('is null without any Twilio variable (peer-to-peer only)', () => {
    expect(parseTwilioEnv({})).toBeNull();
    expect(parseTwilioEnv({ TWILIO_ACCOUNT_SID: '  ', MEDIA_MODE: 'p2p' })).toBeNull();
  });

  it('defaults to twilio mode with 2 participants when all credentials are set', () => {
    expect(parseTwilioEnv({ ...creds, PUBLIC_URL: 'https://assist.example.com/' })).toEqual({
      mediaMode: 'twilio',
      accountSid: creds.TWILIO_ACCOUNT_SID,
      apiKeySid: creds.TWILIO_API_KEY_SID,
      apiKeySecret: creds.TWILIO_API_KEY_SECRET,
      authToken: creds.TWILIO_AUTH_TOKEN,
      maxParticipants: 2,
      mediaRegion: 'gll',
      webhookBaseUrl: 'https://assist.example.com',
    });
  });

  it('takes the media region for EU customers and refuses a malformed one', () => {
    expect(parseTwilioEnv({ ...creds, TWILIO_MEDIA_REGION: 'de1' })?.mediaRegion).toBe('de1');
    expect(() => parseTwilioEnv({ ...creds, TWILIO_MEDIA_REGION: 'Frankfurt, DE' })).toThrow(/TWILIO_MEDIA_REGION/);
  });

  it('keeps credentials in p2p mode so TURN can come from Twilio', () => {
    const config = parseTwilioEnv({ ...creds, MEDIA_MODE: 'p2p', TWILIO_MAX_PARTICIPANTS: '3' });
    expect(config?.mediaMode).toBe('p2p');
    expect(config?.maxParticipants).toBe(3);
    expect(config?.webhookBaseUrl).toBeNull();
  });

  it('prefers TWILIO_WEBHOOK_BASE_URL over PUBLIC_URL', () => {
    const config = parseTwilioEnv({
      ...creds,
      PUBLIC_URL: 'http://localhost:8080',
      TWILIO_WEBHOOK_BASE_URL: 'https://tunnel.example.net/',
    });
    expect(config?.webhookBaseUrl).toBe('https://tunnel.example.net');
  });

  it('names the missing variables when credentials are half set', () => {
    const attempt = () => parseTwilioEnv({ TWILIO_ACCOUNT_SID: creds.TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID: creds.TWILIO_API_KEY_SID });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID set but TWILIO_API_KEY_SECRET, TWILIO_AUTH_TOKEN missing');
  });

  it('refuses MEDIA_MODE=twilio without credentials', () => {
    expect(() => parseTwilioEnv({ MEDIA_MODE: 'twilio' })).toThrow(/MEDIA_MODE=twilio needs Twilio credentials/);
  });

  it('explains malformed values', () => {
    expect(() => parseTwilioEnv({ ...creds, TWILIO_ACCOUNT_SID: 'SK123' })).toThrow(/TWILIO_ACCOUNT_SID must look like AC/);
    expect(() => parseTwilioEnv({ ...creds, MEDIA_MODE: 'sfu' })).toThrow(/MEDIA_MODE/);
    expect(() => parseTwilioEnv({ ...creds, TWILIO_MAX_PARTICIPANTS: '1' })).toThrow(/TWILIO_MAX_PARTICIPANTS/);
  });
});
