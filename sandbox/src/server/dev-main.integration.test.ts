import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Runs against the built relay (`@live-assist/relay` resolves to relay/dist), as `npm start` does.
const DEV_MAIN = fileURLToPath(new URL('./dev-main.ts', import.meta.url));

/** The development entry point with exactly `env` (nothing inherited), through tsx's loader. */
function devMain(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', DEV_MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** The relay's URL from its banner, once it listens. */
function listening(child: ChildProcessWithoutNullStreams, done: ReturnType<typeof exited>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      // Stdout is a pipe, so the banner is a JSON line: the URL ends at its closing quote.
      const found = /listening at (http:\/\/[^\s"]+)[\s\S]*Health:/.exec(out);
      if (found?.[1]) resolve(found[1]);
    });
    void done.then(({ code, stderr }) => reject(new Error(`exited ${code} before listening: ${out}${stderr}`)));
  });
}

describe('the development entry point (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-dev-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without helpdesk settings serves the relay with the sandbox on loopback', async () => {
    const child = devMain({ PORT: '0', DATA_DIR: join(dir, 'dev') });
    const done = exited(child);
    const url = await listening(child, done);
    try {
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      expect((await fetch(`${url}/sandbox/`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).toBe(0);
  });

  it("with HELPDESK=freshdesk and no Freshdesk settings serves the Freshdesk sandbox as the relay's Freshdesk", async () => {
    const child = devMain({ HELPDESK: 'freshdesk', PORT: '0', DATA_DIR: join(dir, 'fd') });
    const done = exited(child);
    const url = await listening(child, done);
    try {
      const list = await fetch(`${url}/sandbox/freshdesk/`);
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('Wilo Stratos MAXO');
      // The Freshdesk REST subset answers, and only with its API key.
      expect((await fetch(`${url}/api/v2/tickets/1201`)).status).toBe(401);
      // Not the Zendesk sandbox.
      expect((await fetch(`${url}/sandbox/api/config`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).toBe(0);
  });

  it('with NODE_ENV=production and no helpdesk settings exits non-zero instead of serving the sandbox', async () => {
    const { code, stderr } = await exited(devMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: join(dir, 'prod') }));
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toMatch(
      /No helpdesk configured: set HELPDESK_URL, HELPDESK_EMAIL, HELPDESK_API_TOKEN, ZENDESK_APP_ID, ZENDESK_INSTALLATION_ID/,
    );
  });

  it('with HELPDESK=freshdesk and NODE_ENV=production exits naming the Freshdesk variables', async () => {
    const { code, stderr } = await exited(
      devMain({ HELPDESK: 'freshdesk', NODE_ENV: 'production', PORT: '0', DATA_DIR: join(dir, 'fd-prod') }),
    );
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toMatch(/FRESHDESK_DOMAIN, FRESHDESK_API_KEY, FRESHDESK_APP_SECRET/);
  });
});
