import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'relay-secret';

/**
 * The key for derived tokens. From RELAY_SECRET when set, otherwise generated once and kept
 * next to the database (outside it, so a leaked database alone does not reveal invite links).
 */
export function loadRelaySecret(configured: string | null, dataDir: string): Uint8Array {
  if (configured !== null) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 43) return Buffer.from(existing, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'w' });
  return Buffer.from(secret, 'utf8');
}
