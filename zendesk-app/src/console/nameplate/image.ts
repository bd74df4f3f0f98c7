import type { PlateBox } from './contract';

/**
 * The frozen still as pixels the reader can take: fetched once per still (the relay's signed URL,
 * same origin as the console) and decoded off the main thread by createImageBitmap.
 */
export async function loadStill(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the still could not be loaded (HTTP ${response.status})`);
  return createImageBitmap(await response.blob());
}

/** The boxed part of the still at its own resolution, as a PNG: the preview and the ticket's attachment. */
export async function cropStill(image: ImageBitmap, box: PlateBox): Promise<Blob> {
  const canvas = new OffscreenCanvas(box.width, box.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(image, box.x, box.y, box.width, box.height, 0, 0, box.width, box.height);
  return canvas.convertToBlob({ type: 'image/png' });
}
