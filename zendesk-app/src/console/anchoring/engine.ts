/**
 * The tracker engine the console's anchoring codes against: the shape of
 * `@live-assist/client-core/anchoring` (`createAnchorWorker`), kept here so this folder's
 * statically loaded code does not import that subpath.
 */

/** Frame fractions 0..1, top-left corner and size. */
export type Region = { x: number; y: number; width: number; height: number };

/**
 * Scale + rotation + shift in width units: the convention of the protocol's `AnchorTransform`
 * (`protocol/src/features/anchors.ts`), from the region as anchored to where it is on this frame.
 */
export type Similarity = { a: number; b: number; tx: number; ty: number };

export type AnchorUpdate = {
  id: string;
  /** `requestVideoFrameCallback`'s `mediaTime` of the frame it was measured on (s). */
  frameTime: number;
  transform: Similarity;
  confidence: number;
  lost: boolean;
};

export interface AnchorEngine {
  anchor(id: string, bitmap: ImageBitmap, region: Region, frameTime: number): void;
  track(bitmap: ImageBitmap, frameTime: number): Promise<AnchorUpdate[]>;
  pin(id: string, bitmap: ImageBitmap, region: Region, frameTime: number): void;
  drop(id: string): void;
  close(): void;
}

/** Loaded on the first anchored mark only: the console's first load carries none of it. */
export async function loadEngine(): Promise<AnchorEngine> {
  const { createAnchorWorker } = await import('@live-assist/client-core/anchoring');
  return createAnchorWorker();
}
