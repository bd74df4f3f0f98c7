import type { RelaySocketEvents } from '@live-assist/client-core';
import type { ClientToRelay, NameplateField, NameplateValues } from '@live-assist/protocol';

/**
 * The engine's types, and `Box` as a box on the still in the still's own pixels. Type imports
 * only: the engine itself loads on the first Read text (engine.ts).
 */
export type { Box as PlateBox, NameplateReader, NameplateReaderOptions, NameplateReading } from '@live-assist/client-core/nameplate';

export type PlateFieldKey = NameplateField;
export const PLATE_FIELDS: readonly PlateFieldKey[] = ['model', 'serial', 'date'];

export type PlateValues = NameplateValues;

/** The part of the relay socket the nameplate needs. */
export interface NameplateSocket {
  send(frame: ClientToRelay): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}
