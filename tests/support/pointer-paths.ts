/**
 * Which way the other side's pointer reaches a page: relay frames on its WebSocket, or the 9-byte
 * messages of the call's data lane (protocol `peer-pointer.ts`). Installed before the page loads;
 * every position that arrives is kept with its arrival time (`performance.timeOrigin + now`).
 */
import type { BrowserContext, Page } from 'playwright-core';

export type PointerArrival = { x: number; y: number; t: number };
export type PointerPaths = {
  /** Pointer frames (positions and hides) over the relay, their JSON bytes, and how many were positions. */
  relayFrames: number;
  relayBytes: number;
  relayPositions: number;
  /** Lane messages (positions and hides), their bytes, and how many were positions. */
  laneFrames: number;
  laneBytes: number;
  lanePositions: number;
  arrivals: PointerArrival[];
};

type Counted = { __pointerPaths: PointerPaths };

/** No named inner functions below: tsx would wrap them in a helper the page does not have. */
export async function countPointerPaths(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const paths: PointerPaths = {
      relayFrames: 0,
      relayBytes: 0,
      relayPositions: 0,
      laneFrames: 0,
      laneBytes: 0,
      lanePositions: 0,
      arrivals: [],
    };
    (window as unknown as Counted).__pointerPaths = paths;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e) => {
          if (typeof e.data !== 'string' || !e.data.startsWith('{"type":"pointer"')) return;
          const t = performance.timeOrigin + performance.now();
          paths.relayFrames += 1;
          paths.relayBytes += new TextEncoder().encode(e.data).length;
          const point = (JSON.parse(e.data) as { point: [number, number] | null }).point;
          if (!point) return;
          paths.relayPositions += 1;
          paths.arrivals.push({ x: point[0], y: point[1], t });
        });
      }
    };
    const createDataChannel = RTCPeerConnection.prototype.createDataChannel;
    RTCPeerConnection.prototype.createDataChannel = function (label: string, init?: RTCDataChannelInit) {
      const channel = createDataChannel.call(this, label, init);
      if (label !== 'pointer') return channel;
      channel.addEventListener('message', (e: MessageEvent) => {
        if (!(e.data instanceof ArrayBuffer) || e.data.byteLength !== 9) return;
        const t = performance.timeOrigin + performance.now();
        paths.laneFrames += 1;
        paths.laneBytes += e.data.byteLength;
        const view = new DataView(e.data);
        if (view.getUint8(0) !== 1) return;
        paths.lanePositions += 1;
        paths.arrivals.push({ x: view.getUint16(5) / 0xffff, y: view.getUint16(7) / 0xffff, t });
      });
      return channel;
    };
  });
}

export function readPointerPaths(page: Page): Promise<PointerPaths> {
  return page.evaluate(() => structuredClone((window as unknown as Counted).__pointerPaths));
}
