import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from './testing/harness.js';

describe('the data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is closed to other users once the relay runs, also when it was created open; the token key is owner-only', async () => {
    // As a deploy script leaves it.
    chmodSync(dataDir, 0o755);
    const sr = await startHarness({}, { helpdesk: 'sandbox', dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'relay-secret')).mode & 0o077).toBe(0);
    } finally {
      await sr.close();
    }
  });
});
