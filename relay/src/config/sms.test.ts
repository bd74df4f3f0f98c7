import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const twilio = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'key-secret-value',
  TWILIO_AUTH_TOKEN: 'auth-token-value',
};

describe('SMS and helpdesk OAuth configuration', () => {
  it('offers SMS only with a sender and the Twilio credentials', () => {
    expect(loadConfig({}).sms).toBeNull();
    expect(loadConfig(twilio).sms).toBeNull();
    expect(loadConfig({ ...twilio, TWILIO_SMS_FROM: '+4915100000000' }).sms).toEqual({
      twilio: { accountSid: twilio.TWILIO_ACCOUNT_SID, apiKeySid: twilio.TWILIO_API_KEY_SID, apiKeySecret: 'key-secret-value' },
      authToken: 'auth-token-value',
      statusCallbackUrl: null,
      sender: { from: '+4915100000000' },
    });
    // Twilio reports delivery to the public URL it can reach.
    expect(
      loadConfig({ ...twilio, TWILIO_SMS_FROM: '+4915100000000', PUBLIC_URL: 'https://assist.example.com/' }).sms?.statusCallbackUrl,
    ).toBe('https://assist.example.com/api/delivery/twilio/sms-status');
    const service = `MG${'c'.repeat(32)}`;
    expect(loadConfig({ ...twilio, TWILIO_MESSAGING_SERVICE_SID: service, TWILIO_SMS_FROM: '+4915100000000' }).sms?.sender).toEqual({
      messagingServiceSid: service,
    });
  });

  it('refuses an SMS sender without Twilio credentials, and malformed senders', () => {
    expect(() => loadConfig({ TWILIO_SMS_FROM: '+4915100000000' })).toThrow(/SMS invites need the Twilio credentials/);
    expect(() => loadConfig({ ...twilio, TWILIO_SMS_FROM: '015100000000' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...twilio, TWILIO_MESSAGING_SERVICE_SID: 'MG123' })).toThrow(/TWILIO_MESSAGING_SERVICE_SID/);
  });

  it('accepts an OAuth token in place of email + API token', () => {
    const base = { HELPDESK_URL: 'https://acme.zendesk.com', ZENDESK_APP_ID: '12', ZENDESK_INSTALLATION_ID: '34' };
    expect(loadConfig({ ...base, HELPDESK_OAUTH_TOKEN: 'oauth-token' }).helpdesk).toMatchObject({
      baseUrl: 'https://acme.zendesk.com',
      oauthToken: 'oauth-token',
    });
    expect(() => loadConfig(base)).toThrow(/HELPDESK_EMAIL, HELPDESK_API_TOKEN missing/);
    expect(() => loadConfig({ HELPDESK_OAUTH_TOKEN: 'oauth-token' })).toThrow(
      /HELPDESK_URL, ZENDESK_APP_ID, ZENDESK_INSTALLATION_ID missing/,
    );
  });
});
