import { execFile, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openShapedLink, shapedLinksUnavailable, sweepStaleLinks, type ShapedLink } from './shaped-link.js';

const run = promisify(execFile);
const unavailable = shapedLinksUnavailable();

/**
 * A TCP client run by Node inside the namespace: connects to host:port, sends `send` bytes and
 * half-closes, then prints what came back: the byte count, how long from the first byte back to
 * the last (`downMs`) and how many came in that first chunk; or the error's code.
 */
const CLIENT = `
const [host, port, send] = process.argv.slice(1);
const socket = require('node:net').connect({ host, port: Number(port), timeout: 5000 });
let received = 0, firstChunk = 0, firstAt = 0;
socket.on('connect', () => socket.end(Buffer.alloc(Number(send), 120)));
socket.on('data', (chunk) => {
  if (received === 0) { firstChunk = chunk.length; firstAt = performance.now(); }
  received += chunk.length;
});
socket.on('end', () => console.log(JSON.stringify({ received, firstChunk, downMs: performance.now() - firstAt })));
socket.on('timeout', () => { console.log(JSON.stringify({ error: 'timeout' })); socket.destroy(); });
socket.on('error', (error) => console.log(JSON.stringify({ error: error.code })));
`;

interface Received {
  received?: number;
  firstChunk?: number;
  downMs?: number;
  error?: string;
}

async function clientInNamespace(namespace: string, host: string, port: number, send = 0): Promise<Received> {
  const { stdout } = await run('ip', ['netns', 'exec', namespace, process.execPath, '-e', CLIENT, host, String(port), String(send)]);
  return JSON.parse(stdout) as Received;
}

/**
 * A server on `host` that takes what the phone sends, then sends `bytes` back. Each upload's time
 * (from accepting the connection to the phone's half-close) is measured here, so the phone's Node
 * start-up is not counted; the download's only the phone can time.
 */
async function echoServer(host: string, bytes: number): Promise<{ server: Server; port: number; uploads: Promise<number>[] }> {
  const uploads: Promise<number>[] = [];
  const server = createServer((socket: Socket) => {
    const accepted = performance.now();
    uploads.push(
      new Promise((resolve, reject) => {
        socket.on('error', reject);
        socket.resume();
        socket.on('end', () => {
          resolve(performance.now() - accepted);
          socket.end(Buffer.alloc(bytes, 121));
        });
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port, uploads };
}

const links: ShapedLink[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  for (const link of links.splice(0)) await link.close();
});

async function link(): Promise<ShapedLink> {
  const opened = await openShapedLink();
  links.push(opened);
  return opened;
}

describe.skipIf(unavailable !== null)(`a shaped link${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('reaches a server on the host end from inside the namespace, and only while the link is up', async () => {
    const { namespace, hostIp, phoneInterface } = await link();
    const { server, port } = await echoServer(hostIp, 5);
    servers.push(server);
    expect(await clientInNamespace(namespace, hostIp, port)).toMatchObject({ received: 5 });

    // The phone's loopback is its own: the host's 127.0.0.1 is not in reach.
    expect(await clientInNamespace(namespace, '127.0.0.1', port)).toEqual({ error: 'ECONNREFUSED' });
    // Without the link the host is gone.
    await run('ip', ['-n', namespace, 'link', 'set', phoneInterface, 'down']);
    expect((await clientInNamespace(namespace, hostIp, port)).error).toMatch(/ENETUNREACH|EHOSTUNREACH|timeout/);
    await run('ip', ['-n', namespace, 'link', 'set', phoneInterface, 'up']);
    await expect.poll(() => clientInNamespace(namespace, hostIp, port), { timeout: 20_000, interval: 500 }).toMatchObject({ received: 5 });
  });

  it('holds both directions to the rate, and lets go after shape(null)', async () => {
    const shaped = await link();
    const BYTES = 64 * 1024;
    const KBIT = 200;
    // What the payload alone takes at the rate (headers only add to it), with a margin for tbf's
    // bucket, which lets its first few KB through at once: a lower bound, whatever the machine.
    const atLeastMs = (bytes: number) => ((bytes * 8) / (KBIT * 1000)) * 1000 * 0.8;
    const { server, port, uploads } = await echoServer(shaped.hostIp, BYTES);
    servers.push(server);

    await shaped.shape(KBIT);
    expect(shaped.kbit).toBe(KBIT);
    const down = await clientInNamespace(shaped.namespace, shaped.hostIp, port, BYTES);
    expect(down.received).toBe(BYTES);
    const up = await uploads[0]!;
    expect(up).toBeGreaterThan(atLeastMs(BYTES));
    // Timed from the first chunk's arrival: the bytes after it.
    expect(down.downMs).toBeGreaterThan(atLeastMs(BYTES - down.firstChunk!));

    await shaped.shape(null);
    expect(shaped.kbit).toBeNull();
    const fastDown = await clientInNamespace(shaped.namespace, shaped.hostIp, port, BYTES);
    expect(fastDown.received).toBe(BYTES);
    expect(await uploads[1]!).toBeLessThan(up / 2);
    expect(fastDown.downMs).toBeLessThan(down.downMs! / 2);
  });

  it('gives links opened at the same time names and addresses of their own', async () => {
    const [a, b] = await Promise.all([link(), link()]);
    expect(a.namespace).not.toBe(b.namespace);
    expect(a.hostIp).not.toBe(b.hostIp);
    // Both links work at once, each phone through its own.
    const [onA, onB] = await Promise.all([echoServer(a.hostIp, 5), echoServer(b.hostIp, 7)]);
    servers.push(onA.server, onB.server);
    expect(await clientInNamespace(a.namespace, a.hostIp, onA.port)).toMatchObject({ received: 5 });
    expect(await clientInNamespace(b.namespace, b.hostIp, onB.port)).toMatchObject({ received: 7 });
  });

  it('leaves no namespace, veth or qdisc behind, and sweeps what a dead process left', async () => {
    const gone = await openShapedLink();
    await gone.shape(100);
    await gone.close();
    const [netns, devices, qdiscs] = await Promise.all([
      run('ip', ['netns', 'list']),
      run('ip', ['-o', 'link', 'show']),
      run('tc', ['qdisc', 'show']),
    ]);
    expect(netns.stdout).not.toContain(gone.namespace);
    expect(devices.stdout).not.toContain(gone.namespace);
    expect(qdiscs.stdout).not.toContain(gone.namespace);

    const live = await link();
    // What a crashed run leaves: a namespace and a veth named after a pid that no longer runs.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const stale = `la-${dead.pid}-0`;
    await run('ip', ['netns', 'add', stale]);
    await run('ip', ['link', 'add', `${stale}h`, 'type', 'veth', 'peer', 'name', `${stale}p`]);

    expect(await sweepStaleLinks()).toContain(stale);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(stale);
    expect((await run('ip', ['-o', 'link', 'show'])).stdout).not.toContain(stale);
    // A link of a running process is left alone.
    expect((await run('ip', ['netns', 'list'])).stdout).toContain(live.namespace);
  });
});
