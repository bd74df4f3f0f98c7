import { uploadImage, type RelaySocketEvents } from '@live-assist/client-core';
import { UploadPurpose, type StoredImage } from '@live-assist/protocol';
import { Store } from '../../store/store';
import {
  PLATE_FIELDS,
  type NameplateReader,
  type NameplateReaderOptions,
  type NameplateReading,
  type NameplateSocket,
  type PlateBox,
  type PlateFieldKey,
  type PlateValues,
} from './contract';
import { cropStill, loadStill } from './image';

/**
 * off: no tool. selecting: the specialist drags a box on the still. boxed: a box is drawn, the
 * crop shows, nothing read yet. reading: the engine works. review: fields to check (read, or
 * empty to type by hand). saving: upload and confirm sent, waiting for the relay. saved: the relay
 * kept the values for the call note.
 */
export const PlatePhase = {
  off: 'off',
  selecting: 'selecting',
  boxed: 'boxed',
  reading: 'reading',
  review: 'review',
  saving: 'saving',
  saved: 'saved',
} as const;
export type PlatePhase = (typeof PlatePhase)[keyof typeof PlatePhase];

/** What went wrong, said plainly in the panel; each leaves the fields open for typing. */
export const PlateProblem = {
  /** The engine could not load (network, an old browser): values by hand. */
  engine: 'engine',
  /** The engine ran but found no text in the box. */
  nothing: 'nothing',
  /** The crop could not be uploaded or the relay did not confirm: try again. */
  save: 'save',
} as const;
export type PlateProblem = (typeof PlateProblem)[keyof typeof PlateProblem];

/** Below this the panel asks the specialist to check the value. */
export const LOW_CONFIDENCE = 0.8;

export type PlateField = {
  value: string;
  /** The engine's confidence in what it read; null when it read nothing there. */
  confidence: number | null;
  /** Typed or corrected by the specialist: the value is theirs, the confidence no longer applies. */
  edited: boolean;
};

export type NameplateState = {
  /** A still is frozen: the tool bar offers Read text. */
  available: boolean;
  phase: PlatePhase;
  box: PlateBox | null;
  /** An object URL of the cropped plate, for the preview. */
  cropUrl: string | null;
  /** The first reading of this console also loads the engine (seconds): the panel says so. */
  loadingEngine: boolean;
  fields: Record<PlateFieldKey, PlateField>;
  codes: { format: string; text: string }[];
  text: string;
  problem: PlateProblem | null;
  /** The values the relay confirmed it keeps (phase saved). */
  saved: PlateValues | null;
};

export type StillRef = { id: string; url: string; width: number; height: number };

export interface ConsoleNameplateDeps {
  socket: NameplateSocket;
  sessionId: string;
  specialistToken: string;
  relayUrl: string;
  /** The engine; by default client-core's, imported on the first Read text. */
  createReader?: (options: NameplateReaderOptions) => Promise<NameplateReader>;
  /** Still → pixels and the crop; replaced in unit tests. */
  loadStill?: (url: string) => Promise<ImageBitmap>;
  cropStill?: (image: ImageBitmap, box: PlateBox) => Promise<Blob>;
  upload?: (blob: Blob) => Promise<StoredImage>;
  objectUrl?: { create(blob: Blob): string; revoke(url: string): void };
  saveTimeoutMs?: number;
}

/** How long the relay may take to confirm the values before the panel offers to try again. */
const SAVE_TIMEOUT_MS = 30_000;
/** A box smaller than this (still pixels) holds no readable text: a click, not a drag. */
export const MIN_BOX_PX = 12;

const emptyFields = (): Record<PlateFieldKey, PlateField> => ({
  model: { value: '', confidence: null, edited: false },
  serial: { value: '', confidence: null, edited: false },
  date: { value: '', confidence: null, edited: false },
});

const initial = (available = false): NameplateState => ({
  available,
  phase: PlatePhase.off,
  box: null,
  cropUrl: null,
  loadingEngine: false,
  fields: emptyFields(),
  codes: [],
  text: '',
  problem: null,
  saved: null,
});

/**
 * "Read the nameplate" on a frozen still: box → local reading → fields the specialist checks →
 * crop uploaded and the confirmed values sent to the relay, which adds them to the call note and
 * the mapped ticket fields. Plain TS; React components only adapt it.
 */
export class ConsoleNameplate {
  readonly state = new Store<NameplateState>(initial());
  private still: StillRef | null = null;
  private pixels: { id: string; image: Promise<ImageBitmap> } | null = null;
  private crop: Promise<Blob> | null = null;
  private reader: Promise<NameplateReader> | null = null;
  private readCount = 0;
  /** Bumped by every new box, cancel and still change: late answers for an older one are dropped. */
  private generation = 0;
  private pendingUpload: string | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly off: () => void;

  constructor(private readonly deps: ConsoleNameplateDeps) {
    this.off = deps.socket.on('frame', (frame) => this.onFrame(frame));
  }

  /** The frozen still shown now (null while live): the tool only works on one. */
  setStill(still: StillRef | null): void {
    if (still?.id === this.still?.id) return;
    this.still = still;
    if (this.pixels && this.pixels.id !== still?.id) {
      void this.pixels.image.then((b) => b.close()).catch(() => undefined);
      this.pixels = null;
    }
    // The box referred to the old still; values on their way to the relay still arrive.
    if (this.state.get().phase !== PlatePhase.saving) this.reset();
    else this.state.update({ available: still !== null });
  }

  /** The frozen still's size: the box layer maps the drag onto it. */
  get frame(): { width: number; height: number } | null {
    return this.still ? { width: this.still.width, height: this.still.height } : null;
  }

  /** The tool bar's Read text: arms the box (or puts it away again). */
  toggle(): void {
    if (this.state.get().phase === PlatePhase.selecting) this.cancel();
    else this.select();
  }

  /** Start over with a new box on the same still: Read again, Read another plate. */
  select(): void {
    if (!this.still) return;
    const { phase } = this.state.get();
    if (phase === PlatePhase.saving) return;
    this.reset();
    this.state.update({ phase: PlatePhase.selecting });
  }

  /** The dragged box, in still pixels; clamped to the still. Too small a box is ignored. */
  setBox(raw: PlateBox): void {
    const still = this.still;
    const { phase } = this.state.get();
    if (!still || (phase !== PlatePhase.selecting && phase !== PlatePhase.boxed)) return;
    const x = clamp(Math.round(raw.x), 0, still.width);
    const y = clamp(Math.round(raw.y), 0, still.height);
    const box = {
      x,
      y,
      width: clamp(Math.round(raw.width), 0, still.width - x),
      height: clamp(Math.round(raw.height), 0, still.height - y),
    };
    if (box.width < MIN_BOX_PX || box.height < MIN_BOX_PX) return;
    this.generation += 1;
    const generation = this.generation;
    this.revokeCrop();
    this.state.update({ phase: PlatePhase.boxed, box, cropUrl: null, problem: null });
    const crop = this.image(still).then((image) => (this.deps.cropStill ?? cropStill)(image, box));
    this.crop = crop;
    crop.then(
      (blob) => {
        if (generation !== this.generation) return;
        const url = this.deps.objectUrl?.create(blob) ?? URL.createObjectURL(blob);
        this.state.update({ cropUrl: url });
      },
      (err: unknown) => console.warn('[nameplate] crop failed', err),
    );
  }

  /** Reads the boxed part of the still; the fields fill with what the engine found. */
  async read(): Promise<void> {
    const still = this.still;
    const { phase, box } = this.state.get();
    if (!still || !box || (phase !== PlatePhase.boxed && phase !== PlatePhase.review)) return;
    const generation = this.generation;
    const first = this.readCount === 0;
    this.readCount += 1;
    this.state.update({ phase: PlatePhase.reading, loadingEngine: first, problem: null });
    let reader: NameplateReader;
    try {
      reader = await this.loadReader();
    } catch (err) {
      console.warn('[nameplate] the engine did not load', err);
      // Next press tries the load again (a network blip).
      this.reader = null;
      this.readCount = 0;
      if (generation === this.generation) this.toReview(PlateProblem.engine);
      return;
    }
    let reading: NameplateReading;
    try {
      reading = await reader.read(await this.image(still), box);
    } catch (err) {
      console.warn('[nameplate] reading failed', err);
      // The worker may be gone: the next Read text starts a fresh one. A first reading that fails
      // is the engine failing to load (its files, its wasm), which typing by hand works around.
      void this.reader?.then((r) => r.close()).catch(() => undefined);
      this.reader = null;
      if (first) this.readCount = 0;
      if (generation === this.generation) this.toReview(first ? PlateProblem.engine : PlateProblem.nothing);
      return;
    }
    if (generation !== this.generation) return;
    const fields = emptyFields();
    for (const key of PLATE_FIELDS) {
      const found = reading.fields[key];
      if (found && found.value.trim()) fields[key] = { value: found.value.trim(), confidence: found.confidence, edited: false };
    }
    const nothing = PLATE_FIELDS.every((k) => !fields[k].value) && reading.codes.length === 0 && !reading.text.trim();
    this.state.update({
      phase: PlatePhase.review,
      loadingEngine: false,
      fields,
      codes: reading.codes,
      text: reading.text.trim(),
      problem: nothing ? PlateProblem.nothing : null,
    });
  }

  /** Skips the engine: the fields open empty for typing (after a failure, or by choice). */
  typeByHand(): void {
    const { phase, box } = this.state.get();
    if (!box || (phase !== PlatePhase.boxed && phase !== PlatePhase.review)) return;
    this.state.update({ phase: PlatePhase.review });
  }

  setField(key: PlateFieldKey, value: string): void {
    const s = this.state.get();
    if (s.phase !== PlatePhase.review) return;
    this.state.update({ fields: { ...s.fields, [key]: { ...s.fields[key], value, edited: true } } });
  }

  /** The values as they will be sent: trimmed, empty ones left out. */
  values(): PlateValues {
    const { fields } = this.state.get();
    const values: PlateValues = {};
    for (const key of PLATE_FIELDS) {
      const v = fields[key].value.trim();
      if (v) values[key] = v;
    }
    return values;
  }

  get canConfirm(): boolean {
    return this.state.get().phase === PlatePhase.review && Object.keys(this.values()).length > 0;
  }

  /** Add to ticket: the crop goes up like a snapshot, then the confirmed values name it. */
  async confirm(): Promise<void> {
    if (!this.canConfirm || !this.crop) return;
    const values = this.values();
    const generation = this.generation;
    this.state.update({ phase: PlatePhase.saving, problem: null });
    try {
      const blob = await this.crop;
      const stored = await (this.deps.upload ?? ((b) => this.uploadCrop(b)))(blob);
      if (generation !== this.generation) return;
      this.pendingUpload = stored.id;
      if (!this.deps.socket.send({ type: 'nameplate-confirm', uploadId: stored.id, values })) throw new Error('not connected');
      this.saveTimer = setTimeout(
        () => this.saveFailed(new Error('the relay did not confirm')),
        this.deps.saveTimeoutMs ?? SAVE_TIMEOUT_MS,
      );
    } catch (err) {
      if (generation === this.generation) this.saveFailed(err);
    }
  }

  /** A drawing tool was picked: an unused box goes, read or typed values stay. */
  release(): void {
    const { phase } = this.state.get();
    if (phase === PlatePhase.selecting || phase === PlatePhase.boxed) this.reset();
  }

  /** Cancel: the box, the crop and the fields go; the tool is put away. */
  cancel(): void {
    if (this.state.get().phase === PlatePhase.saving) return;
    this.reset();
  }

  dispose(): void {
    this.off();
    this.reset();
    void this.reader?.then((r) => r.close()).catch(() => undefined);
    this.reader = null;
    void this.pixels?.image.then((b) => b.close()).catch(() => undefined);
    this.pixels = null;
  }

  private onFrame(frame: RelaySocketEvents['frame']): void {
    if (frame.type !== 'nameplate-saved' || frame.uploadId !== this.pendingUpload) return;
    this.clearSaveTimer();
    this.pendingUpload = null;
    this.state.update({ phase: PlatePhase.saved, saved: frame.values, problem: null });
  }

  private saveFailed(err: unknown): void {
    console.warn('[nameplate] saving failed', err);
    this.clearSaveTimer();
    this.pendingUpload = null;
    if (this.state.get().phase === PlatePhase.saving) this.state.update({ phase: PlatePhase.review, problem: PlateProblem.save });
  }

  private toReview(problem: PlateProblem): void {
    this.state.update({ phase: PlatePhase.review, loadingEngine: false, fields: emptyFields(), codes: [], text: '', problem });
  }

  private loadReader(): Promise<NameplateReader> {
    if (!this.reader) {
      const options: NameplateReaderOptions = { assetBase: `${this.deps.relayUrl.replace(/\/+$/, '')}/ocr/` };
      this.reader = this.deps.createReader
        ? this.deps.createReader(options)
        : import('./engine').then((engine) => engine.createNameplateReader(options));
    }
    return this.reader;
  }

  private image(still: StillRef): Promise<ImageBitmap> {
    if (this.pixels?.id !== still.id) {
      const image = (this.deps.loadStill ?? loadStill)(still.url);
      this.pixels = { id: still.id, image };
      // A failed load is tried again on the next box.
      image.catch(() => {
        if (this.pixels?.image === image) this.pixels = null;
      });
    }
    return this.pixels.image;
  }

  private uploadCrop(blob: Blob): Promise<StoredImage> {
    return uploadImage({
      relayUrl: this.deps.relayUrl,
      sessionId: this.deps.sessionId,
      participantToken: this.deps.specialistToken,
      purpose: UploadPurpose.nameplate,
      blob,
    });
  }

  private reset(): void {
    this.generation += 1;
    this.clearSaveTimer();
    this.pendingUpload = null;
    this.crop = null;
    this.revokeCrop();
    this.state.set(initial(this.still !== null));
  }

  private revokeCrop(): void {
    const url = this.state.get().cropUrl;
    if (url) (this.deps.objectUrl?.revoke ?? URL.revokeObjectURL)(url);
  }

  private clearSaveTimer(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
