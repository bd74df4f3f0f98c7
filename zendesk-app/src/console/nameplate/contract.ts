import type { RelaySocketEvents } from '@live-assist/client-core';
import type { ClientToRelay, NameplateField, NameplateValues } from '@live-assist/protocol';

/** The engine's types (client-core/nameplate); type imports only, the engine itself loads lazily (engine.ts). */
export type { NameplateReader, NameplateReaderOptions, NameplateReading } from '@live-assist/client-core/nameplate';

export type PlateFieldKey = NameplateField;
export const PLATE_FIELDS: readonly PlateFieldKey[] = ['model', 'serial', 'date'];

/** A box on the still, in the still's own pixels. */
export type { Box as PlateBox } from '@live-assist/client-core/nameplate';

export type PlateValues = NameplateValues;

/** The part of the relay socket the nameplate needs. */
export interface NameplateSocket {
  send(frame: ClientToRelay): boolean;
  on<K extends keyof RelaySocketEvents>(event: K, handler: (payload: RelaySocketEvents[K]) => void): () => void;
}
