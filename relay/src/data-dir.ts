import { chmodSync, mkdirSync } from 'node:fs';

/**
 * The data folder holds the database, customers' photos and the token key: only the relay's own
 * user may enter it. Set on every start, as a folder made by a deploy script is often 0755; with the
 * folder closed, what is inside stays private whatever mode each file was written with.
 */
export function privateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
