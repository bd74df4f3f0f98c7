import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const helpdesk = {
  HELPDESK_URL: 'https://acme.zendesk.com/',
  HELPDESK_EMAIL: 'admin@acme.com',
  HELPDESK_API_TOKEN: 'secret',
  ZENDESK_APP_ID: '12',
  ZENDESK_INSTALLATION_ID: '34',
};

describe('loadConfig', () => {
  it('defaults to no helpdesk and Wilo branding', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      publicUrl: null,
      dataDir: './data',
      inviteTtlHours: 24,
      helpdesk: null,
      iceServers: [],
      branding: {
        companyName: 'Wilo',
        logoUrl: null,
        primaryColor: '#009c82',
        policyUrl: 'https://wilo.com/en/Privacy-Policy',
        policyVersion: '2024-01',
        exitUrl: 'https://www.wilo.com',
        exitDelaySeconds: 3,
      },
      uploadQuota: { files: 300, bytes: 1024 * 1024 * 1024 },
    });
    expect(c.zendeskAppDir).toMatch(/zendesk-app\/dist$/);
    expect(c.customerWebDir).toMatch(/customer-web\/dist$/);
  });

  it('joins relays through REDIS_URL only with the PostgreSQL and the secret they must share', () => {
    const shared = { DATABASE_URL: 'postgres://relay@db:5432/live', RELAY_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...shared, REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379/0', RELAY_SECRET: 'x'.repeat(32) })).toThrow(/REDIS_URL needs DATABASE_URL/);
    expect(() => loadConfig({ ...shared, REDIS_URL: 'cache:6379' })).toThrow(/must be a redis:\/\/.*REDIS_URL/s);
  });

  it('treats empty strings as unset (a copied .env.example configures no helpdesk)', () => {
    const c = loadConfig({ PORT: '', HELPDESK_URL: '', HELPDESK_EMAIL: '', PUBLIC_URL: '' });
    expect(c.port).toBe(8080);
    expect(c.helpdesk).toBeNull();
    expect(c.publicUrl).toBeNull();
  });

  it('reads a full helpdesk configuration and strips trailing slashes', () => {
    const c = loadConfig({ ...helpdesk, PUBLIC_URL: 'https://assist.example.com/', PORT: '0' });
    expect(c.helpdesk).toEqual({
      baseUrl: 'https://acme.zendesk.com',
      email: 'admin@acme.com',
      apiToken: 'secret',
      appId: 12,
      installationId: 34,
    });
    expect(c.publicUrl).toBe('https://assist.example.com');
    expect(c.port).toBe(0);
  });

  it('refuses a half-set helpdesk configuration, naming what is missing', () => {
    const { HELPDESK_API_TOKEN: _t, ZENDESK_APP_ID: _a, ...partial } = helpdesk;
    expect(() => loadConfig(partial)).toThrow(ConfigError);
    expect(() => loadConfig(partial)).toThrow(/HELPDESK_API_TOKEN, ZENDESK_APP_ID missing/);
  });

  it('parses ICE servers and rejects bad JSON or shapes', () => {
    const c = loadConfig({ ICE_SERVERS_JSON: '[{"urls":"stun:stun.example.com:3478"}]' });
    expect(c.iceServers).toEqual([{ urls: 'stun:stun.example.com:3478' }]);
    expect(() => loadConfig({ ICE_SERVERS_JSON: '[{' })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ ICE_SERVERS_JSON: '[{"url":"x"}]' })).toThrow(ConfigError);
  });

  it('rejects invalid values with the variable name', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ EXIT_URL: 'not a url' })).toThrow(/EXIT_URL/);
    expect(() => loadConfig({ BRAND_COLOR: 'green' })).toThrow(/BRAND_COLOR/);
    expect(() => loadConfig({ EXIT_DELAY_SECONDS: '61' })).toThrow(/EXIT_DELAY_SECONDS/);
    expect(() => loadConfig({ EXIT_DELAY_SECONDS: '1.5' })).toThrow(/EXIT_DELAY_SECONDS/);
    expect(loadConfig({ EXIT_DELAY_SECONDS: '10' }).branding.exitDelaySeconds).toBe(10);
    expect(() => loadConfig({ RELAY_SECRET: 'short' })).toThrow(/RELAY_SECRET/);
  });
});
