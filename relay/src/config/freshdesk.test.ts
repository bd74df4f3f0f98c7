import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, missingHelpdeskError } from './index.js';

const freshdesk = {
  HELPDESK: 'freshdesk',
  FRESHDESK_DOMAIN: 'wilo.freshdesk.com',
  FRESHDESK_API_KEY: 'fd-api-key',
  FRESHDESK_APP_SECRET: 's'.repeat(32),
};

const zendesk = {
  HELPDESK_URL: 'https://acme.zendesk.com',
  HELPDESK_EMAIL: 'admin@acme.com',
  HELPDESK_API_TOKEN: 'secret',
  ZENDESK_APP_ID: '12',
  ZENDESK_INSTALLATION_ID: '34',
};

describe('HELPDESK=freshdesk', () => {
  it('serves Zendesk unless told otherwise, with the Zendesk variables as before', () => {
    expect(loadConfig({}).helpdeskKind).toBe('zendesk');
    const c = loadConfig(zendesk);
    expect(c.helpdeskKind).toBe('zendesk');
    expect(c.helpdesk).toEqual({
      baseUrl: 'https://acme.zendesk.com',
      email: 'admin@acme.com',
      apiToken: 'secret',
      appId: 12,
      installationId: 34,
    });
  });

  it('reads a Freshdesk account: the API at https://<domain>, the domain as the account', () => {
    const c = loadConfig(freshdesk);
    expect(c.helpdeskKind).toBe('freshdesk');
    expect(c.helpdesk).toEqual({
      kind: 'freshdesk',
      baseUrl: 'https://wilo.freshdesk.com',
      domain: 'wilo.freshdesk.com',
      apiKey: 'fd-api-key',
      appSecret: 's'.repeat(32),
    });
  });

  it('takes an origin for a stand-in on loopback', () => {
    const c = loadConfig({ ...freshdesk, FRESHDESK_DOMAIN: 'http://127.0.0.1:4567/' });
    expect(c.helpdesk).toMatchObject({ baseUrl: 'http://127.0.0.1:4567', domain: '127.0.0.1:4567' });
  });

  it('without any Freshdesk variable there is no helpdesk yet (npm start binds the sandbox), and the error names the variables', () => {
    const c = loadConfig({ HELPDESK: 'freshdesk', FRESHDESK_DOMAIN: ' ' });
    expect(c).toMatchObject({ helpdeskKind: 'freshdesk', helpdesk: null });
    expect(missingHelpdeskError('freshdesk').message).toMatch(/FRESHDESK_DOMAIN, FRESHDESK_API_KEY, FRESHDESK_APP_SECRET/);
  });

  it('refuses a half-set Freshdesk configuration, naming what is missing', () => {
    const { FRESHDESK_API_KEY: _k, FRESHDESK_APP_SECRET: _s, ...partial } = freshdesk;
    expect(() => loadConfig(partial)).toThrow(ConfigError);
    expect(() => loadConfig(partial)).toThrow(/FRESHDESK_DOMAIN set but FRESHDESK_API_KEY, FRESHDESK_APP_SECRET missing/);
  });

  it('refuses a short app secret and a domain that is not a host', () => {
    expect(() => loadConfig({ ...freshdesk, FRESHDESK_APP_SECRET: 'short' })).toThrow(/FRESHDESK_APP_SECRET must be at least 32/);
    expect(() => loadConfig({ ...freshdesk, FRESHDESK_DOMAIN: 'wilo freshdesk' })).toThrow(/FRESHDESK_DOMAIN/);
  });

  it('refuses variables of the other helpdesk rather than ignoring them', () => {
    const { HELPDESK: _h, ...withoutKind } = freshdesk;
    expect(() => loadConfig(withoutKind)).toThrow(/FRESHDESK_DOMAIN, FRESHDESK_API_KEY, FRESHDESK_APP_SECRET are set.*HELPDESK=freshdesk/);
    expect(() => loadConfig({ ...freshdesk, HELPDESK_URL: zendesk.HELPDESK_URL })).toThrow(/HELPDESK_URL is set/);
    expect(() => loadConfig({ HELPDESK: 'freshservice' })).toThrow(/HELPDESK/);
  });

  it('maps nameplate values to custom fields by their cf_ names, each optional', () => {
    const c = loadConfig({ ...freshdesk, FRESHDESK_NAMEPLATE_SERIAL_FIELD: ' cf_serial_number ', FRESHDESK_NAMEPLATE_DATE_FIELD: '' });
    expect(c.helpdesk).toMatchObject({ nameplateFields: { serial: 'cf_serial_number' } });
    expect(loadConfig(freshdesk).helpdesk).not.toHaveProperty('nameplateFields');
    expect(() => loadConfig({ ...freshdesk, FRESHDESK_NAMEPLATE_MODEL_FIELD: 'Serial number' })).toThrow(/FRESHDESK_NAMEPLATE_MODEL_FIELD/);
  });
});
