import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { retentionIntervalMs } from '../privacy/retention.js';

describe('privacy configuration', () => {
  it('keeps personal data 30 days and the consent record 3 years unless told otherwise', () => {
    expect(loadConfig({}).privacy).toEqual({ retentionDays: 30, consentRetentionDays: 1095 });
    expect(loadConfig({ RETENTION_DAYS: '', CONSENT_RETENTION_DAYS: '' }).privacy).toEqual({
      retentionDays: 30,
      consentRetentionDays: 1095,
    });
  });

  it('accepts zero retention and sweeps every minute then, every 10 minutes otherwise', () => {
    const zero = loadConfig({ RETENTION_DAYS: '0', CONSENT_RETENTION_DAYS: '730' }).privacy;
    expect(zero).toEqual({ retentionDays: 0, consentRetentionDays: 730 });
    expect(retentionIntervalMs(zero)).toBe(60_000);
    expect(retentionIntervalMs({ retentionDays: 30, consentRetentionDays: 1095 })).toBe(600_000);
  });

  it('refuses negative, fractional or non-numeric days, naming the variable', () => {
    for (const env of [
      { RETENTION_DAYS: '-1' },
      { RETENTION_DAYS: '1.5' },
      { CONSENT_RETENTION_DAYS: 'forever' },
      { CONSENT_RETENTION_DAYS: '0' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(Object.keys(env)[0]!);
    }
  });
});
