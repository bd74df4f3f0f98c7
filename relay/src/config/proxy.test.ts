import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.0.2.10 ,fd00::/8,uniquelocal', ['10.0.0.0/8', '192.0.2.10', 'fd00::/8', 'uniquelocal']],
  ])('%j is %j', (value, trust) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(trust);
  });

  it.each(['true', 'yes', '10.0.0.0/33', '10.0.0.300', 'fd00::/129', '11', 'loopback;10.0.0.1'])('refuses %j with a message', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});
