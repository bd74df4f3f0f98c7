import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter, type RelaySocketEvents } from '@live-assist/client-core';
import {
  ClientToRelaySchema,
  RelayToClientSchema,
  type ClientToRelay,
  type NameplateConfirm,
  type StoredImage,
} from '@live-assist/protocol';
import type { NameplateReader, NameplateReaderOptions, NameplateReading, PlateBox } from './contract';
import { ConsoleNameplate, PlatePhase, PlateProblem, type StillRef } from './consoleNameplate';

class FakeSocket {
  open = true;
  readonly sent: NameplateConfirm[] = [];
  constructor(private readonly log: string[]) {}
  private readonly emitter = new Emitter<RelaySocketEvents>();
  on<K extends keyof RelaySocketEvents>(event: K, handler: (p: RelaySocketEvents[K]) => void): () => void {
    return this.emitter.on(event, handler);
  }
  send(frame: ClientToRelay): boolean {
    // Whatever the console sends must be a frame the relay accepts.
    ClientToRelaySchema.parse(frame);
    if (!this.open) return false;
    if (frame.type === 'nameplate-confirm') {
      this.sent.push(frame);
      this.log.push(`send ${frame.uploadId}`);
    }
    return true;
  }
  /** The relay's answer to the specialists, as the socket would parse it. */
  saved(uploadId: string, values: Record<string, string>): void {
    this.emitter.emit('frame', RelayToClientSchema.parse({ type: 'nameplate-saved', uploadId, values }));
  }
}

class FakeReader implements NameplateReader {
  reads: PlateBox[] = [];
  closed = false;
  next: NameplateReading | Error = READING;
  /** Held readings: `release()` answers the oldest. */
  hold = false;
  private held: Array<() => void> = [];
  read(_image: ImageBitmap | ImageData, box: PlateBox): Promise<NameplateReading> {
    this.reads.push(box);
    const answer = this.next;
    const settle = () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer));
    if (!this.hold) return settle();
    return new Promise((resolve, reject) => this.held.push(() => void settle().then(resolve, reject)));
  }
  release(): void {
    this.held.shift()?.();
  }
  close(): void {
    this.closed = true;
  }
}

const READING: NameplateReading = {
  fields: {
    model: { value: 'WP 32-4 ', confidence: 0.93 },
    serial: { value: 'SN 4711-0815', confidence: 0.64 },
    date: null,
  },
  text: 'AQUAFLOW\nType WP 32-4\nSer. No. SN 4711-0815\n',
  codes: [{ format: 'QRCode', text: 'https://example.com/p/4711' }],
  ms: 840,
};

const STILL: StillRef = { id: 'freeze-1', url: 'https://relay.test/still-1.jpg', width: 1920, height: 1080 };
const BITMAP = { width: 1920, height: 1080, close: () => undefined } as unknown as ImageBitmap;
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('reading a nameplate in the console', () => {
  let log: string[];
  let socket: FakeSocket;
  let reader: FakeReader;
  let created: NameplateReaderOptions[];
  let revoked: string[];
  let uploadFails: boolean;
  let plate: ConsoleNameplate;

  beforeEach(() => {
    log = [];
    socket = new FakeSocket(log);
    reader = new FakeReader();
    created = [];
    revoked = [];
    uploadFails = false;
    let crops = 0;
    plate = new ConsoleNameplate({
      socket,
      sessionId: 'sess-1',
      specialistToken: 'tok',
      relayUrl: 'https://relay.test/',
      createReader: async (options) => {
        created.push(options);
        return reader;
      },
      loadStill: async () => BITMAP,
      cropStill: async (_image, box) => new Blob([JSON.stringify(box)], { type: 'image/png' }),
      upload: async (blob): Promise<StoredImage> => {
        log.push(`upload ${await blob.text()}`);
        if (uploadFails) throw new Error('HTTP 500');
        return { id: 'upload-plate-1', url: 'https://relay.test/u/1', width: 400, height: 200 };
      },
      objectUrl: { create: () => `blob:crop-${(crops += 1)}`, revoke: (url) => revoked.push(url) },
    });
    plate.setStill(STILL);
  });
  afterEach(() => {
    plate.dispose();
    vi.useRealTimers();
  });

  async function boxAndRead(box: PlateBox = { x: 600, y: 300, width: 500, height: 260 }): Promise<void> {
    plate.toggle();
    plate.setBox(box);
    await flush();
    await plate.read();
  }

  it('box → read → fields → corrected → Add to ticket uploads the crop, then sends the corrected values', async () => {
    plate.toggle();
    expect(plate.state.get().phase).toBe(PlatePhase.selecting);
    plate.setBox({ x: 600.4, y: 300, width: 500, height: 260 });
    await flush();
    expect(plate.state.get()).toMatchObject({
      phase: PlatePhase.boxed,
      box: { x: 600, y: 300, width: 500, height: 260 },
      cropUrl: 'blob:crop-1',
    });

    await plate.read();
    const s = plate.state.get();
    expect(reader.reads).toEqual([{ x: 600, y: 300, width: 500, height: 260 }]);
    expect(created).toEqual([{ assetBase: 'https://relay.test/ocr/' }]);
    expect(s.phase).toBe(PlatePhase.review);
    expect(s.fields.model).toEqual({ value: 'WP 32-4', confidence: 0.93, edited: false });
    expect(s.fields.serial).toEqual({ value: 'SN 4711-0815', confidence: 0.64, edited: false });
    expect(s.fields.date).toEqual({ value: '', confidence: null, edited: false });
    expect(s.codes).toEqual(READING.codes);
    expect(s.text).toBe('AQUAFLOW\nType WP 32-4\nSer. No. SN 4711-0815');

    plate.setField('serial', 'SN 4711-0816');
    plate.setField('date', ' 2019-03 ');
    expect(plate.state.get().fields.serial).toMatchObject({ value: 'SN 4711-0816', edited: true });
    await plate.confirm();
    expect(plate.state.get().phase).toBe(PlatePhase.saving);
    expect(log).toEqual(['upload {"x":600,"y":300,"width":500,"height":260}', 'send upload-plate-1']);
    expect(socket.sent).toEqual([
      { type: 'nameplate-confirm', uploadId: 'upload-plate-1', values: { model: 'WP 32-4', serial: 'SN 4711-0816', date: '2019-03' } },
    ]);

    // Only the relay's answer for this upload counts.
    socket.saved('upload-other', { serial: 'X' });
    expect(plate.state.get().phase).toBe(PlatePhase.saving);
    socket.saved('upload-plate-1', { model: 'WP 32-4', serial: 'SN 4711-0816', date: '2019-03' });
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.saved, saved: { serial: 'SN 4711-0816' } });

    // And the panel reads another plate: a fresh box, the engine already loaded.
    plate.select();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.selecting, box: null, saved: null });
    expect(revoked).toEqual(['blob:crop-1']);
    plate.setBox({ x: 10, y: 10, width: 300, height: 100 });
    await flush();
    reader.hold = true;
    const second = plate.read();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.reading, loadingEngine: false });
    await flush();
    reader.release();
    await second;
    expect(created).toHaveLength(1);
  });

  it('says the engine is loading on the first reading only', async () => {
    reader.hold = true;
    plate.toggle();
    plate.setBox({ x: 0, y: 0, width: 100, height: 50 });
    const first = plate.read();
    await flush();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.reading, loadingEngine: true });
    reader.release();
    await first;
    expect(plate.state.get().loadingEngine).toBe(false);
    const again = plate.read();
    await flush();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.reading, loadingEngine: false });
    reader.release();
    await again;
  });

  it('an engine that does not load leaves empty fields to type, and the values can still be added', async () => {
    let attempts = 0;
    plate.dispose();
    plate = new ConsoleNameplate({
      socket,
      sessionId: 'sess-1',
      specialistToken: 'tok',
      relayUrl: 'https://relay.test',
      createReader: async () => {
        attempts += 1;
        throw new Error('wasm blocked');
      },
      loadStill: async () => BITMAP,
      cropStill: async () => new Blob(['png']),
      upload: async () => ({ id: 'upload-plate-2', url: 'u', width: 1, height: 1 }),
      objectUrl: { create: () => 'blob:x', revoke: () => undefined },
    });
    plate.setStill(STILL);
    await boxAndRead();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.engine });
    expect(plate.canConfirm).toBe(false);
    plate.setField('serial', 'AB123');
    expect(plate.canConfirm).toBe(true);
    await plate.confirm();
    expect(socket.sent.at(-1)).toEqual({ type: 'nameplate-confirm', uploadId: 'upload-plate-2', values: { serial: 'AB123' } });
    socket.saved('upload-plate-2', { serial: 'AB123' });
    expect(plate.state.get().phase).toBe(PlatePhase.saved);
    // The next Read text tries the engine again.
    plate.select();
    plate.setBox({ x: 0, y: 0, width: 100, height: 50 });
    await plate.read();
    expect(attempts).toBe(2);
  });

  it('says so when the engine finds nothing in the box', async () => {
    reader.next = { fields: { model: null, serial: null, date: null }, text: '  ', codes: [], ms: 300 };
    await boxAndRead();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.nothing });
    // A reader that fails after it loaded: nothing read, and the next reading starts a fresh one.
    reader.next = new Error('worker crashed');
    plate.select();
    plate.setBox({ x: 0, y: 0, width: 100, height: 50 });
    await plate.read();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.nothing });
    expect(reader.closed).toBe(true);
    await plate.read();
    expect(created).toHaveLength(2);
  });

  it('a first reading that fails is the engine failing to load: values by hand, and the next press loads it again', async () => {
    reader.next = new Error('nameplate worker: wasm refused');
    await boxAndRead();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.engine, loadingEngine: false });
    reader.next = READING;
    reader.hold = true;
    const again = plate.read();
    await flush();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.reading, loadingEngine: true });
    reader.release();
    await again;
    expect(plate.state.get().fields.serial.value).toBe('SN 4711-0815');
  });

  it('Cancel clears the box, the crop and the fields, and a reading that comes back late is dropped', async () => {
    await boxAndRead();
    plate.cancel();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.off, box: null, cropUrl: null, text: '' });
    expect(plate.state.get().fields.serial.value).toBe('');
    expect(revoked).toEqual(['blob:crop-1']);

    reader.hold = true;
    plate.toggle();
    plate.setBox({ x: 0, y: 0, width: 100, height: 50 });
    const late = plate.read();
    await flush();
    plate.cancel();
    reader.release();
    await late;
    expect(plate.state.get().phase).toBe(PlatePhase.off);
    expect(socket.sent).toEqual([]);
  });

  it('ignores a click without a drag and keeps the box on the still', async () => {
    plate.toggle();
    plate.setBox({ x: 100, y: 100, width: 4, height: 4 });
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.selecting, box: null });
    plate.setBox({ x: 1800, y: 1000, width: 400, height: 300 });
    expect(plate.state.get().box).toEqual({ x: 1800, y: 1000, width: 120, height: 80 });
  });

  it('unfreezing puts the tool away; without a still there is nothing to box', async () => {
    await boxAndRead();
    plate.setStill(null);
    expect(plate.state.get().phase).toBe(PlatePhase.off);
    expect(plate.state.get().available).toBe(false);
    plate.toggle();
    expect(plate.state.get().phase).toBe(PlatePhase.off);
  });

  it('a failed upload or a relay that never answers says so and keeps the values to try again', async () => {
    await boxAndRead();
    uploadFails = true;
    await plate.confirm();
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.save });
    expect(socket.sent).toEqual([]);
    expect(plate.state.get().fields.model.value).toBe('WP 32-4');

    vi.useFakeTimers();
    uploadFails = false;
    await plate.confirm();
    expect(socket.sent).toHaveLength(1);
    vi.advanceTimersByTime(30_000);
    expect(plate.state.get()).toMatchObject({ phase: PlatePhase.review, problem: PlateProblem.save });
  });
});
