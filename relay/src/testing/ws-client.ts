import { WebSocket } from 'ws';
import { RelayToClientSchema, type RelayToClient } from '@live-assist/protocol';

/** A test-side WebSocket that queues relay frames and lets a test await the next match. */
export class TestSocket {
  readonly frames: RelayToClient[] = [];
  closeCode: number | null = null;
  private waiters: { match: (f: RelayToClient) => boolean; resolve: (f: RelayToClient) => void }[] = [];
  private closeWaiters: ((code: number) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = RelayToClientSchema.parse(JSON.parse(String(data)));
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.closeWaiters) w(code);
      this.closeWaiters = [];
    });
  }

  /** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next<T extends RelayToClient['type']>(type: T, timeoutMs = 10_000): Promise<Extract<RelayToClient, { type: T }>> {
    const match = (f: RelayToClient): boolean => f.type === type;
    const queued = this.frames.findIndex(match);
    if (queued !== -1) {
      return Promise.resolve(this.frames.splice(queued, 1)[0] as Extract<RelayToClient, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as Extract<RelayToClient, { type: T }>);
        },
      });
    });
  }

  closed(timeoutMs = 10_000): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
