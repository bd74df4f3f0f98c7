import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnchorWorker } from './client.js';

class FakeWorker {
  static made: FakeWorker[] = [];
  readonly posted: { message: Record<string, unknown>; transfer?: Transferable[] }[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    FakeWorker.made.push(this);
  }
  postMessage(message: Record<string, unknown>, transfer?: Transferable[]) {
    this.posted.push({ message, transfer });
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

const bitmap = () => ({ width: 640, height: 360, close() {} }) as unknown as ImageBitmap;
const update = { id: 'm', frameTime: 1.5, transform: { a: 1, b: 0, tx: 0.01, ty: 0 }, confidence: 0.9, lost: false };

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWorker.made = [];
});

describe('createAnchorWorker', () => {
  it('starts no worker until the first mark, then one module worker that gets the frames transferred', () => {
    vi.stubGlobal('Worker', FakeWorker);
    const anchors = createAnchorWorker({ trackWidth: 256, tracker: { recoverSeconds: 0 } });
    expect(FakeWorker.made).toHaveLength(0);
    const frame = bitmap();
    anchors.anchor('m', frame, { x: 0.1, y: 0.2, width: 0.3, height: 0.2 }, 1.25);
    expect(FakeWorker.made).toHaveLength(1);
    const w = FakeWorker.made[0]!;
    expect(w.options.type).toBe('module');
    expect(w.url.pathname).toMatch(/worker\.(js|ts)$/);
    expect(w.posted[0]!.message).toEqual({ type: 'init', width: 256, options: { recoverSeconds: 0 } });
    expect(w.posted[1]!.message).toMatchObject({ type: 'anchor', id: 'm', frameTime: 1.25 });
    expect(w.posted[1]!.transfer).toEqual([frame]);
  });

  it('answers each track with the updates for that frame, ignoring malformed replies', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const anchors = createAnchorWorker();
    const first = anchors.track(bitmap(), 1.5);
    const second = anchors.track(bitmap(), 1.6);
    const w = FakeWorker.made[0]!;
    const [a, b] = w.posted.filter((p) => p.message.type === 'track').map((p) => p.message.seq as number);
    w.reply({ seq: b, updates: [{ ...update, frameTime: 1.6 }] });
    w.reply({ seq: a, updates: [{ ...update, confidence: 7 }] });
    w.reply({ seq: a, updates: [update] });
    await expect(first).resolves.toEqual([update]);
    await expect(second).resolves.toEqual([{ ...update, frameTime: 1.6 }]);
  });

  it('fails a pending track when the worker reports an error or is closed', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const anchors = createAnchorWorker();
    const failing = anchors.track(bitmap(), 1);
    const w = FakeWorker.made[0]!;
    w.reply({ seq: w.posted.at(-1)!.message.seq, error: 'no frame' });
    await expect(failing).rejects.toThrow('no frame');
    const pending = anchors.track(bitmap(), 2);
    anchors.close();
    await expect(pending).rejects.toThrow(/closed/);
    expect(w.terminated).toBe(true);
  });
});
