import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The raw limit's plumbing: an empty page and a bare WebSocket that hands every message to the other
 * pages connected to it — no product code, no parsing, no relay. Benches run their raw figure
 * through this in the same run as the product's, on the same browsers, so the two compare.
 *
 * A socket opened with `?pair=<key>` hears only the sockets that named the same key: a load bench
 * pairs thousands of simulated participants two by two, as the relay's rooms do. Without it every
 * socket is in one group, as the browser benches use it.
 */
export interface BareServer {
  /** The empty page; its WebSocket is the same URL with `ws:`. */
  url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>raw</title>
<style>html,body{margin:0;height:100%;background:#000}video{width:100%;height:100%;object-fit:contain}</style></head>
<body><video autoplay playsinline muted></video></body></html>`;

export async function startBareServer(): Promise<BareServer> {
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(PAGE);
  });
  const wss = new WebSocketServer({ server: http });
  const groups = new Map<string, Set<WebSocket>>();
  wss.on('connection', (socket, req) => {
    const key = new URL(req.url ?? '/', 'http://bare.invalid').searchParams.get('pair') ?? '';
    let peers = groups.get(key);
    if (!peers) groups.set(key, (peers = new Set()));
    const group = peers;
    group.add(socket);
    socket.on('message', (data, isBinary) => {
      for (const other of group) if (other !== socket && other.readyState === other.OPEN) other.send(data, { binary: isBinary });
    });
    socket.on('close', () => {
      group.delete(socket);
      if (group.size === 0) groups.delete(key);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const group of groups.values()) for (const socket of group) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
