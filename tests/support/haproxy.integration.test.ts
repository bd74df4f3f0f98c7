import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHaproxy, type RunningHaproxy } from './haproxy.js';
import { freePort } from './ports.js';

/** A stand-in relay: answers every request, `/healthz` included, until it is stopped. */
async function standIn(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

let haproxy: RunningHaproxy | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await haproxy?.close();
  await Promise.all(servers.filter((s) => s.listening).map(stop));
  servers.length = 0;
});

describe('HAProxy in front of two relays', () => {
  it('each frontend prefers its own relay, moves to the other while it is down, and back once it is up', async () => {
    const [portA, portB, front] = await Promise.all([freePort(), freePort(), freePort()]);
    servers.push(await standIn(portA), await standIn(portB));
    const a = { name: 'relay-a', address: `127.0.0.1:${portA}` };
    const b = { name: 'relay-b', address: `127.0.0.1:${portB}` };
    haproxy = await startHaproxy([
      { name: 'desk', bind: `127.0.0.2:${front}`, servers: [a, { ...b, backup: true }] },
      { name: 'phone', bind: `127.0.0.3:${front}`, servers: [b, { ...a, backup: true }] },
    ]);
    expect(await haproxy.servedBy('desk')).toBe('relay-a');
    expect(await haproxy.servedBy('phone')).toBe('relay-b');

    await stop(servers[0]!);
    await expect.poll(() => haproxy!.servedBy('desk')).toBe('relay-b');
    expect(await haproxy.servedBy('phone')).toBe('relay-b');

    servers.push(await standIn(portA));
    await expect.poll(() => haproxy!.servedBy('desk')).toBe('relay-a');
  });
});
