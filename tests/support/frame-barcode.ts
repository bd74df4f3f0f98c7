import { open } from 'node:fs/promises';
import { movingObjectScene, type MovingObjectOptions, type MovingObjectScene } from './moving-object.js';

/**
 * A frame counter the pages can read off the picture: `BARCODE.bits` black or white squares along
 * the top-left edge, least significant bit first. Chromium's fake camera loops a y4m file from
 * wherever it is when the page opens it, so the phone's and the console's `currentTime` say
 * nothing about which frame of the file is shown; the picture itself does. Cells are big enough
 * (16 px of a 640 px frame) to survive the call's video coding at the first frames' half size.
 */
export const BARCODE = { x: 8, y: 8, cell: 16, bits: 11 } as const;

/** Writes the frame index into the planes (luma black/white, chroma neutral). */
export function stampFrameIndex(planes: { y: Uint8Array; u: Uint8Array; v: Uint8Array }, width: number, index: number): void {
  const { x, y, cell, bits } = BARCODE;
  const cw = width >> 1;
  for (let bit = 0; bit < bits; bit += 1) {
    const value = (index >> bit) & 1 ? 255 : 0;
    const left = x + bit * cell;
    for (let row = y; row < y + cell; row += 1) planes.y.fill(value, row * width + left, row * width + left + cell);
    for (let row = y >> 1; row < (y + cell) >> 1; row += 1) {
      planes.u.fill(128, row * cw + (left >> 1), row * cw + ((left + cell) >> 1));
      planes.v.fill(128, row * cw + (left >> 1), row * cw + ((left + cell) >> 1));
    }
  }
}

/** The moving-object clip (`moving-object.ts`) with each frame's index stamped on it, as y4m. */
export async function writeBarcodedMovingObjectY4m(path: string, options: MovingObjectOptions = {}): Promise<MovingObjectScene> {
  const scene = movingObjectScene(options);
  if (scene.width % 2 || scene.height % 2) throw new Error('4:2:0 needs even sides');
  if (scene.frames >= 2 ** BARCODE.bits) throw new Error(`at most ${2 ** BARCODE.bits - 1} frames fit the barcode`);
  const file = await open(path, 'w');
  try {
    await file.write(`YUV4MPEG2 W${scene.width} H${scene.height} F${scene.fps}:1 Ip A1:1 C420jpeg\n`);
    for (let f = 0; f < scene.frames; f += 1) {
      const planes = scene.yuv(f);
      stampFrameIndex(planes, scene.width, f);
      await file.write(Buffer.concat([Buffer.from('FRAME\n'), planes.y, planes.u, planes.v]));
    }
  } finally {
    await file.close();
  }
  return scene;
}

/**
 * Reads the index off RGBA pixels of a frame shown `videoWidth` wide (the clip is `sceneWidth`
 * wide). Self-contained, so a page can run it: pass it to `page.evaluate` as source with
 * `BARCODE` as an argument. Null when a cell is neither clearly black nor white (a frame being
 * coded in, or no barcode at all).
 */
export function decodeFrameIndex(
  rgba: ArrayLike<number>,
  videoWidth: number,
  sceneWidth: number,
  code: { x: number; y: number; cell: number; bits: number },
): number | null {
  const k = videoWidth / sceneWidth;
  let index = 0;
  for (let bit = 0; bit < code.bits; bit += 1) {
    const cx = Math.floor((code.x + bit * code.cell + code.cell / 2) * k);
    const cy = Math.floor((code.y + code.cell / 2) * k);
    const i = (cy * videoWidth + cx) * 4;
    const luma = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
    if (luma > 80 && luma < 175) return null;
    if (luma >= 175) index |= 1 << bit;
  }
  return index;
}
