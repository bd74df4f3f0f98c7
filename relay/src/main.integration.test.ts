import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the production entry point with exactly `env` (nothing inherited) until it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Node itself with tsx's loader, as the other process tests run TypeScript entry points.
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the production entry point (relay/src/main.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without helpdesk settings exits non-zero, naming the missing variables, and serves nothing', async () => {
    const dataDir = join(dir, 'data');
    const run = await runMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    for (const name of ['HELPDESK_URL', 'HELPDESK_EMAIL', 'HELPDESK_API_TOKEN', 'ZENDESK_APP_ID', 'ZENDESK_INSTALLATION_ID']) {
      expect(run.stderr).toContain(name);
    }
    expect(run.stdout).not.toContain('listening');
    expect(existsSync(dataDir)).toBe(false);
  });
});
