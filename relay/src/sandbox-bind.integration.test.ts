import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type SandboxHarness } from './testing/harness.js';

/** An address of this machine other than loopback, or null when it has none. */
function outsideAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('sandbox mode (no helpdesk configured)', () => {
  let sr: SandboxHarness;
  let port: number;
  beforeAll(async () => {
    // As `npm start` without helpdesk variables: no listen address given.
    sr = await startHarness({}, { helpdesk: 'sandbox' });
    port = Number(new URL(sr.relay.url).port);
  });
  afterAll(() => sr?.close());

  it.skipIf(outsideAddress() === null)('listens on loopback only: a non-loopback address of the machine gets no connection', async () => {
    expect(await reachable('127.0.0.1', port)).toBe(true);
    expect(await reachable(outsideAddress()!, port)).toBe(false);
  });

  it('answers sandbox requests only for a loopback Host (no agent cookie for a rebound name)', async () => {
    expect(await getWithHost(`http://127.0.0.1:${port}/sandbox/`, `localhost:${port}`)).toBe(200);
    expect(await getWithHost(`http://127.0.0.1:${port}/sandbox/`, `attacker.example:${port}`)).toBe(403);
    expect(await getWithHost(`http://127.0.0.1:${port}/sandbox/tickets/1201`, 'attacker.example')).toBe(403);
  });
});
