import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP hop on a random loopback port in front of the relay, for one browser context only: a page
 * loaded through `url` reaches the relay (HTTP and WebSocket) only through it. `cut()` models the
 * phone losing its network: open connections are reset and new ones are refused until `restore()`.
 * Playwright's `context.setOffline(true)` cannot stand in: it leaves an open WebSocket untouched.
 * Media (WebRTC on loopback) does not pass through here.
 */
export interface CuttableLink {
  /** `http://127.0.0.1:<port>`: the relay's origin as the customer's context should use it. */
  url: string;
  cut(): void;
  restore(): void;
  /** Connections accepted (and passed on) so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function cuttableLink(target: string): Promise<CuttableLink> {
  const { hostname, port } = new URL(target);
  const upstreamHost = hostname === 'localhost' ? '127.0.0.1' : hostname;
  const open = new Set<Socket>();
  let down = false;
  let accepted = 0;

  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };

  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = connect({ host: upstreamHost, port: Number(port) });
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the link has no TCP port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      open.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
