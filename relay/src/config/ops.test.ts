import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('operations configuration', () => {
  it('defaults: format by terminal, info, metrics for loopback only, no drain', () => {
    expect(loadConfig({}).ops).toEqual({ logFormat: null, logLevel: 'info', metricsToken: null, shutdownDrainMs: 0 });
    // Blank, as copied from .env.example, is unset.
    expect(loadConfig({ LOG_FORMAT: '', LOG_LEVEL: '', METRICS_TOKEN: ' ', SHUTDOWN_DRAIN_SECONDS: '' }).ops.metricsToken).toBeNull();
  });

  it('reads each setting', () => {
    const token = 'm'.repeat(32);
    expect(loadConfig({ LOG_FORMAT: 'json', LOG_LEVEL: 'warn', METRICS_TOKEN: token, SHUTDOWN_DRAIN_SECONDS: '5' }).ops).toEqual({
      logFormat: 'json',
      logLevel: 'warn',
      metricsToken: token,
      shutdownDrainMs: 5_000,
    });
  });

  it('refuses a short metrics token, an unknown format and a negative drain, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_SECONDS: '-1' })).toThrow(ConfigError);
  });
});
