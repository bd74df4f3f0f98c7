import { z } from 'zod';
import type { RelaySocketEvents } from '@live-assist/client-core';
import type { ClientToRelay } from '@live-assist/protocol';

/*
 * What this feature needs from its two neighbours, spelled out here until they land:
 * - the reading engine (client-core, `createNameplateReader`), loaded lazily by ./engine.ts;
 * - the frames `nameplate-confirm` (console → relay) and `nameplate-saved` (relay → specialists),
 *   and the upload purpose `nameplate` (protocol).
 * When both are in, these types become re-exports of theirs.
 */

export type PlateFieldKey = 'model' | 'serial' | 'date';
export const PLATE_FIELDS: readonly PlateFieldKey[] = ['model', 'serial', 'date'];

/** A box on the still, in the still's own pixels. */
export interface PlateBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NameplateReading {
  fields: Record<PlateFieldKey, { value: string; confidence: number } | null>;
  text: string;
  codes: { format: string; text: string }[];
  ms: number;
}

export interface NameplateReader {
  read(image: ImageBitmap | ImageData, box: PlateBox): Promise<NameplateReading>;
  close(): void;
}

export interface NameplateReaderOptions {
  /** `${relayOrigin}/ocr/`: where the engine's worker, wasm and language data are served. */
  assetBase: string;
  languages?: ('eng' | 'deu' | 'bul')[];
}

export type PlateValues = Partial<Record<PlateFieldKey, string>>;

export interface NameplateConfirmFrame {
  type: 'nameplate-confirm';
  uploadId: string;
  values: PlateValues;
}

/** The relay's answer to every specialist of the session once the values are kept with it. */
export const NameplateSavedSchema = z.object({
  type: z.literal('nameplate-saved'),
  uploadId: z.string().min(1),
  values: z.object({ model: z.string().optional(), serial: z.string().optional(), date: z.string().optional() }),
});

export const NAMEPLATE_UPLOAD_PURPOSE = 'nameplate';

/** The part of the relay socket the nameplate needs. */
export interface NameplateSocket {
  send(frame: ClientToRelay | NameplateConfirmFrame): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}
