import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { silentLogger } from '../logger.js';
import { startHarness, type FakeHarness } from '../testing/harness.js';
import { databaseCheck, readinessRouter, type Readiness } from './readiness.js';

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
});

async function probe(readiness: Readiness): Promise<{ status: number; body: unknown }> {
  const app = express();
  app.use(readinessRouter(readiness, silentLogger));
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
  return { status: res.status, body: await res.json() };
}

const up = { name: 'database', check: async () => 1 };

describe('GET /readyz', () => {
  it('is 200 when every dependency answers', async () => {
    expect(await probe({ draining: () => false, checks: [up] })).toEqual({ status: 200, body: { ok: true } });
  });

  it('is 503 naming the dependency that fails', async () => {
    const down = { name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) };
    expect(await probe({ draining: () => false, checks: [up, down] })).toEqual({ status: 503, body: { ok: false, failed: ['redis'] } });
  });

  it('is 503 when a dependency does not answer in time, without waiting for it', async () => {
    const hung = { name: 'database', check: () => new Promise(() => {}) };
    expect(await probe({ draining: () => false, checks: [hung], timeoutMs: 50 })).toEqual({
      status: 503,
      body: { ok: false, failed: ['database'] },
    });
  });

  it('is 503 while the relay drains, whatever its dependencies', async () => {
    expect(await probe({ draining: () => true, checks: [up] })).toEqual({ status: 503, body: { ok: false, draining: true } });
  });

  it('asks the database with SELECT 1, and fails once the database is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'la-readyz-'));
    try {
      const database = openDatabase({ engine: 'sqlite', file: join(dir, 'relay.sqlite') });
      await expect(databaseCheck(database).check()).resolves.toBeDefined();
      await database.close();
      await expect(databaseCheck(database).check()).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a relay', () => {
  let h: FakeHarness | undefined;
  afterEach(() => h?.close());

  it('is live at /healthz and ready at /readyz with its database', async () => {
    h = await startHarness();
    expect(await (await h.api('/healthz')).json()).toEqual({ ok: true });
    const ready = await h.api('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
  });
});
