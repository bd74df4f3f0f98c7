import type { RelaySocketEvents } from '@live-assist/client-core';
import type { ClientToRelay, NameplateField, NameplateValues } from '@live-assist/protocol';

/*
 * What this feature needs from the reading engine (client-core's `createNameplateReader`, loaded
 * lazily by ./engine.ts), spelled out here until it lands; the frames come from the protocol.
 */

export type PlateFieldKey = NameplateField;
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

export type PlateValues = NameplateValues;

/** The part of the relay socket the nameplate needs. */
export interface NameplateSocket {
  send(frame: ClientToRelay): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}
