import type { NameplateReader, NameplateReaderOptions } from './contract';

/**
 * The reading engine, behind a dynamic import of this file (consoleNameplate.ts) so the console's
 * first load does not carry it. Until client-core's `createNameplateReader` lands this stand-in
 * fails the way a failed engine load does, and the panel offers typing the values by hand.
 */
export async function createNameplateReader(options: NameplateReaderOptions): Promise<NameplateReader> {
  throw new Error(`the text reader is not available (${options.assetBase})`);
}
