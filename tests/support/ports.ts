import { createServer } from 'node:net';

/**
 * A TCP port nothing listens on now, on any address: for a process that must be told its port
 * before it starts (a relay whose port goes into HAProxy's configuration, a balancer whose port is
 * in the relays' PUBLIC_URL). Another process could take it in between; on a test machine that is
 * rare enough, and the process then fails to start with EADDRINUSE, saying so.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no TCP port'));
      server.close(() => resolve(address.port));
    });
  });
}
