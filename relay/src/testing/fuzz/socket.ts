import { WebSocket } from 'ws';
import { RelayToClientSchema, type RelayToClient } from '@live-assist/protocol';

/**
 * A client socket that keeps every relay frame and never throws on one: a frame that is not a
 * valid `RelayToClient` is kept aside as a finding (TestSocket would throw inside the ws handler).
 * Waits are conditions over what arrived, re-checked on every frame and on close.
 */
export class FuzzSocket {
  readonly frames: RelayToClient[] = [];
  /** Frames the protocol does not allow, as received. */
  readonly invalid: string[] = [];
  closeCode: number | null = null;
  private readonly checks = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = String(data);
      let parsed: ReturnType<typeof RelayToClientSchema.safeParse> | null = null;
      try {
        parsed = isBinary ? null : RelayToClientSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (parsed?.success) this.frames.push(parsed.data);
      else this.invalid.push(text.slice(0, 500));
      this.recheck();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.recheck();
    });
    // A refused or reset socket is reported through close (or the open() rejection).
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<FuzzSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new FuzzSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  /** Bytes as a binary frame, or (`asText`) as a text frame whatever they hold. */
  sendBytes(bytes: Uint8Array, asText = false): void {
    this.ws.send(bytes, { binary: !asText });
  }

  errorsSince(index: number): Extract<RelayToClient, { type: 'error' }>[] {
    return this.frames.slice(index).filter((f): f is Extract<RelayToClient, { type: 'error' }> => f.type === 'error');
  }

  /** Resolves with `probe`'s first non-null answer (checked now, on each frame, on close); the timeout is a backstop. */
  until<T>(what: string, probe: () => T | null, timeoutMs = 15_000): Promise<T> {
    const now = probe();
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | null;
        try {
          value = probe();
        } catch (error) {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value === null) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what} (close code ${this.closeCode}, ${this.frames.length} frames)`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
    });
  }

  close(): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    this.ws.close(1000);
    return this.until('close', () => this.closeCode);
  }

  private recheck(): void {
    for (const check of [...this.checks]) check();
  }
}
