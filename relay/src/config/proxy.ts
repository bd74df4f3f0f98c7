import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { optional, type Env } from './env.js';

/**
 * Who may tell the relay the client's address in `X-Forwarded-For` (express's `trust proxy`):
 * nobody (false, the default: the address is the TCP peer's), the nearest N proxies, or proxies at
 * these addresses and subnets. Never every hop: the left-most entry is whatever the client wrote.
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's names for address ranges, accepted besides addresses and CIDR subnets. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrSubnet(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const TrustProxySchema = z.object({ TRUST_PROXY: optional(z.string().trim()) });

const EXAMPLE = 'the number of proxies in front of the relay (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)';

export function parseTrustProxy(env: Env): TrustProxy {
  const value = TrustProxySchema.parse(env).TRUST_PROXY;
  if (value === undefined || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY: ${hops} proxies is more than any deployment has; give ${EXAMPLE}`);
    return hops;
  }
  if (value === 'true') {
    throw new ConfigError(`TRUST_PROXY=true would take the client's address from what the client sends itself; give ${EXAMPLE}`);
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrSubnet(entry));
  if (bad.length > 0) throw new ConfigError(`TRUST_PROXY: not an address, subnet or range name: ${bad.join(', ')}; give ${EXAMPLE}`);
  return entries;
}
